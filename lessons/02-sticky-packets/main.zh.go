// 第 2 课：TCP 是字节流。一个程序，两个 goroutine：发送端写出一条条小消息，接收端用
// conn.Read 读取，并打印每次 Read 返回了什么。消息本身不带任何边界。
//
// 运行：
//
//	go run main.go                      # Go 的默认设置：打开 TCP_NODELAY，接收端立刻读取
//	go run main.go -pause 50ms          # 接收端每次 Read 之后睡一会儿：消息堆积起来，粘在一起
//	go run main.go -size 100000 -buf 4096 -n 2   # 一条消息比读缓冲区大：它被拆开
//	go run main.go -nagle               # 打开 Nagle 算法（SetNoDelay(false)）
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"time"
)

func main() {
	n := flag.Int("n", 20, "messages to send")
	size := flag.Int("size", 16, "bytes per message")
	nagle := flag.Bool("nagle", false, "turn Nagle's algorithm on (Go turns it off by default)")
	pause := flag.Duration("pause", 0, "how long the receiver sleeps after each Read")
	bufSize := flag.Int("buf", 4096, "the receiver's read buffer")
	flag.Parse()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatalf("listen: %v", err)
	}
	defer ln.Close()

	done := make(chan error, 1)
	go func() { done <- send(ln.Addr().String(), *n, *size, *nagle) }()

	conn, err := ln.Accept()
	if err != nil {
		log.Fatalf("accept: %v", err)
	}
	defer conn.Close()
	reads, total := receive(conn, *bufSize, *pause, *size)
	if err := <-done; err != nil {
		log.Fatalf("send: %v", err)
	}
	fmt.Printf("%d writes of %d bytes arrived in %d reads (%d bytes)\n", *n, *size, reads, total)
}

// send 拨号连接接收端，一条接一条地写出 n 条消息，每条各用一次 Write 调用。
func send(addr string, n, size int, nagle bool) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	if nagle {
		// Go 给每条 TCP 连接都设置了 TCP_NODELAY；这一行把它撤销。
		if err := conn.(*net.TCPConn).SetNoDelay(false); err != nil {
			return err
		}
	}
	for i := 0; i < n; i++ {
		if _, err := conn.Write(message(i, size)); err != nil {
			return err
		}
	}
	return nil // 延迟执行的 Close 发出 FIN：接收端读完最后一个字节后，Read 返回 io.EOF
}

// 第 i 条消息是重复到 size 字节的 `m<i>.`，所以一次 Read 的内容能看出包含哪几条消息。
func message(i, size int) []byte {
	unit := fmt.Sprintf("m%d.", i)
	return []byte(strings.Repeat(unit, size/len(unit)+1)[:size])
}

// receive 打印每次 Read，直到 EOF，并返回读了多少次、读到的字节。
func receive(conn net.Conn, bufSize int, pause time.Duration, size int) (reads, total int) {
	buf := make([]byte, bufSize)
	for {
		n, err := conn.Read(buf)
		// io.Reader 允许一次调用同时返回数据和错误（TCPConn 不会这样做）：先用掉这 n 个字节。
		if n > 0 {
			reads++
			fmt.Printf("read %3d: %5d bytes at offset %6d (messages %d..%d)  %.40q\n",
				reads, n, total, total/size, (total+n-1)/size, buf[:n])
			total += n
		}
		if errors.Is(err, io.EOF) {
			return reads, total
		}
		if err != nil {
			log.Fatalf("read: %v", err)
		}
		time.Sleep(pause)
	}
}
