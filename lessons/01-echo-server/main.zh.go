// 第 1 课：一个 TCP 回显服务器，每个连接一个 goroutine。
//
// 运行：go run main.go -addr 127.0.0.1:9000
// 连接它：nc 127.0.0.1 9000
package main

import (
	"errors"
	"flag"
	"io"
	"log"
	"net"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9000", "address to listen on")
	flag.Parse()

	// Listen 从不悄悄失败：端口被占用是一个值得读一读的错误。
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("listen on %s: %v", *addr, err)
	}
	defer ln.Close()
	log.Printf("echo server listening on %s", ln.Addr())

	var delay time.Duration // Accept 失败后要等多久；成功一次就回到 0
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// 临时错误，例如 EMFILE（“too many open files”：文件描述符全部用完了），
			// 不应该让服务器退出。等一等再重试，每次等得更久（从 5 ms 开始翻倍，最多 1 s），和 net/http 的
			// Server.Serve 一样，这样循环在等待连接关闭时不会空转。
			var ne net.Error
			if errors.As(err, &ne) && ne.Temporary() {
				if delay == 0 {
					delay = 5 * time.Millisecond
				} else {
					delay *= 2
				}
				if delay > time.Second {
					delay = time.Second
				}
				log.Printf("accept: %v; retrying in %v", err, delay)
				time.Sleep(delay)
				continue
			}
			log.Fatalf("accept: %v", err)
		}
		delay = 0
		// 每个连接一个 goroutine：accept 循环立刻回到 Accept。
		go handleConn(conn)
	}
}

// handleConn 把读到的每个字节写回去，直到客户端关闭它那一端。
func handleConn(conn net.Conn) {
	defer conn.Close()
	peer := conn.RemoteAddr()
	log.Printf("%s connected", peer)

	buf := make([]byte, 32*1024)
	var total int64
	for {
		n, err := conn.Read(buf)
		if n > 0 {
			// Write 要等 n 个字节全部交给内核（或出错）才返回。
			if _, werr := conn.Write(buf[:n]); werr != nil {
				log.Printf("%s write: %v", peer, werr)
				return
			}
			total += int64(n)
		}
		if err == io.EOF {
			log.Printf("%s closed after %d bytes", peer, total)
			return
		}
		if err != nil {
			log.Printf("%s read: %v", peer, err)
			return
		}
	}
}
