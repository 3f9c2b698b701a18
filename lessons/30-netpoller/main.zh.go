// 第 30 课：Go 服务器如何等待。一个每个连接一个 goroutine 的回显服务器，用最普通的写法（阻塞式的 Read 和
// Write），以及 Go 运行时在底层做的事：正因为如此，1,000 个阻塞在 Read 上的 goroutine 并不是 1,000 个操作系统线程。
//
// 运行：go run main.go -addr 127.0.0.1:9030
// 连接它：nc 127.0.0.1 9030
//
// 运行时做了什么（Go 1.19，src/runtime/netpoll_epoll.go 和 src/internal/poll/fd_poll_runtime.go）：
//   - net.Listen 和 Accept 把每个套接字设为非阻塞，并只注册一次到整个程序共用的一个 epoll 实例上
//     （epoll_ctl EPOLL_CTL_ADD，边沿触发）：这就是网络轮询器。
//   - conn.Read 调用 read(2)。没有字节在等待时它得到 EAGAIN，goroutine 不会阻塞线程，而是被挂起
//     （gopark）：它停下来，它的线程回去运行别的 goroutine。
//   - 调度器在无事可做时，以及 sysmon 线程在 10 毫秒内没有人调用过时，会调用 epoll_wait；
//     它报告就绪的套接字，其挂起的 goroutine 重新变为可运行（netpoll → ready）。
//   - 所以线程大致是：每个 CPU 一个运行 Go 代码的线程（GOMAXPROCS）、sysmon，以及几个空闲线程；
//     无事可做时它们在 futex 里睡眠。
//
// 在 Linux 上自己看（以 root 身份，或以允许 ptrace 的同一用户身份）：
//
//	go build -o echo main.go && ./echo -addr 127.0.0.1:9030 &
//	grep Threads /proc/$!/status              # 寥寥几个，不管连上多少客户端
//	strace -f -c -p $! -e trace=epoll_pwait,epoll_wait,read,write,futex,nanosleep   # 按 Ctrl-C 打印统计
//
// 实验室的网络轮询器视图会替你做这些：1,000 个空闲客户端和 10 个繁忙客户端，旁边是 Node，
// 以及一个给每个连接分配一个操作系统线程的服务器。
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9030", "address to listen on (port 0: any free port)")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("listen on %s: %v", *addr, err)
	}
	defer ln.Close()
	// 实验室请求端口 0 时，读这一行得知端口号。
	fmt.Fprintf(os.Stdout, "listening on %s\n", ln.Addr())

	for {
		conn, err := ln.Accept() // 挂起这个 goroutine，直到网络轮询器说监听套接字可读
		if err != nil {
			log.Fatalf("accept: %v", err)
		}
		go echo(conn) // 每个连接一个 goroutine：几 KB 的栈，而不是一个线程
	}
}

// echo 把读到的内容写回客户端，直到客户端关闭它那一端。
func echo(conn net.Conn) {
	defer conn.Close()
	buf := make([]byte, 4096)
	for {
		n, err := conn.Read(buf) // 空闲的客户端：这个 goroutine 挂起在这里，不占线程
		if n > 0 {
			if _, werr := conn.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			if err != io.EOF {
				log.Printf("read: %v", err)
			}
			return
		}
	}
}
