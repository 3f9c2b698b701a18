// Lesson 30: how a Go server waits. An echo server with one goroutine per connection, written the plain way
// (blocking Read and Write), and what the Go runtime does underneath so that 1,000 goroutines blocked in Read are
// not 1,000 OS threads.
//
// Run it:     go run main.go -addr 127.0.0.1:9030
// Talk to it: nc 127.0.0.1 9030
//
// What the runtime does (Go 1.19, src/runtime/netpoll_epoll.go and src/internal/poll/fd_poll_runtime.go):
//   - net.Listen and Accept make every socket non-blocking and register it once with one epoll instance
//     (epoll_ctl EPOLL_CTL_ADD, edge-triggered) that the whole program shares: the netpoller.
//   - conn.Read calls read(2). With no bytes waiting it gets EAGAIN, and instead of blocking the thread the
//     goroutine is parked (gopark): it stops, its thread goes back to running other goroutines.
//   - The scheduler, when it has nothing to run, and the sysmon thread when nobody has for 10 ms, call
//     epoll_wait; the sockets it reports ready have their parked goroutines made runnable again (netpoll → ready).
//   - So the threads are roughly: one per CPU running Go code (GOMAXPROCS), sysmon, and a few idle ones; they
//     sleep in futex when there is nothing to do.
//
// See it yourself on Linux (as root, or the same user with ptrace allowed):
//
//	go build -o echo main.go && ./echo -addr 127.0.0.1:9030 &
//	grep Threads /proc/$!/status              # a handful, however many clients connect
//	strace -f -c -p $! -e trace=epoll_pwait,epoll_wait,read,write,futex,nanosleep   # Ctrl-C prints the counts
//
// The lab's netpoller view does this for you with 1,000 idle and 10 busy clients, next to Node and to a server
// that gives every connection its own OS thread.
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
	// The lab reads this line to learn the port when it asked for port 0.
	fmt.Fprintf(os.Stdout, "listening on %s\n", ln.Addr())

	for {
		conn, err := ln.Accept() // parks this goroutine until the netpoller says the listener is readable
		if err != nil {
			log.Fatalf("accept: %v", err)
		}
		go echo(conn) // a goroutine per connection: a few KB of stack, not a thread
	}
}

// echo copies what it reads back to the client until the client closes its side.
func echo(conn net.Conn) {
	defer conn.Close()
	buf := make([]byte, 4096)
	for {
		n, err := conn.Read(buf) // an idle client: this goroutine is parked here, and holds no thread
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
