// 练习 13 的 Go 版：start.ts 的客户端。心跳 goroutine 永不停止，读取也没有截止时间，
// 所以一个卡死的服务器（连接仍然开着）会让它永远等下去。课程在每次读取之前加上
// SetReadDeadline，并给心跳一个 done 通道。
//
// 运行：go run main.go（它启动自己的服务器，服务器应答一秒，然后卡死）
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"time"
)

// keepAlive 每隔 interval 发送“PING\n”，并把每一行“MSG …”交给 onMessage。
// TODO：静默超过 `timeout` 就放弃（SetReadDeadline），并在返回时停止心跳。
func keepAlive(addr string, interval, timeout time.Duration, onMessage func(string)) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()

	go func() {
		ticker := time.NewTicker(interval)
		for range ticker.C { // 永不停止：keepAlive 返回后就是 goroutine 泄漏
			if _, err := io.WriteString(conn, "PING\n"); err != nil {
				return
			}
		}
	}()

	reader := bufio.NewReader(conn)
	for {
		line, err := reader.ReadString('\n') // 没有截止时间：卡死的服务器会让这里永远阻塞
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if strings.HasPrefix(line, "MSG ") {
			onMessage(strings.TrimSpace(line[4:]))
		}
	}
}

// flakyServer 在 answerFor 期间应答 PING，之后继续读取，但再也不应答。
func flakyServer(answerFor time.Duration) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatalf("listen: %v", err)
	}
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		started := time.Now()
		io.WriteString(conn, "MSG welcome\n")
		reader := bufio.NewReader(conn)
		for {
			line, err := reader.ReadString('\n')
			if err != nil {
				return
			}
			if line == "PING\n" && time.Since(started) < answerFor {
				io.WriteString(conn, "PONG\n")
			}
		}
	}()
	return ln.Addr().String()
}

func main() {
	addr := flakyServer(time.Second)
	started := time.Now()
	result := make(chan error, 1)
	go func() {
		result <- keepAlive(addr, 200*time.Millisecond, 600*time.Millisecond, func(text string) {
			fmt.Printf("%5d ms  message: %s\n", time.Since(started).Milliseconds(), text)
		})
	}()
	select {
	case err := <-result:
		fmt.Printf("%5d ms  keepAlive returned: %v\n", time.Since(started).Milliseconds(), err)
	case <-time.After(4 * time.Second):
		fmt.Println("after 4 s keepAlive is still waiting on a server that went silent at 1 s")
	}
}
