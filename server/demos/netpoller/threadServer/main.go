// The netpoller demo's thread-per-connection echo server: the way servers were written before event loops. Every
// connection gets an OS thread of its own (runtime.LockOSThread) that blocks in read(2) on a blocking socket
// (syscall.Read on the raw file descriptor, bypassing Go's netpoller), so 1,000 idle clients hold 1,000 threads.
// It prints "listening on ADDR" when it is ready, as the lab's other servers do.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"runtime"
	"syscall"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "IPv4 address to listen on (port 0: any free port)")
	flag.Parse()
	tcp, err := net.ResolveTCPAddr("tcp4", *addr)
	if err != nil {
		log.Fatalf("address %s: %v", *addr, err)
	}
	// A blocking socket made with raw system calls: Go's net package would register it with the netpoller.
	lfd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		log.Fatalf("socket: %v", err)
	}
	if err := syscall.SetsockoptInt(lfd, syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1); err != nil {
		log.Fatalf("setsockopt: %v", err)
	}
	sa := &syscall.SockaddrInet4{Port: tcp.Port}
	copy(sa.Addr[:], tcp.IP.To4())
	if err := syscall.Bind(lfd, sa); err != nil {
		log.Fatalf("bind %s: %v", *addr, err)
	}
	if err := syscall.Listen(lfd, 4096); err != nil {
		log.Fatalf("listen: %v", err)
	}
	bound, err := syscall.Getsockname(lfd)
	if err != nil {
		log.Fatalf("getsockname: %v", err)
	}
	b := bound.(*syscall.SockaddrInet4)
	fmt.Fprintf(os.Stdout, "listening on %s\n", &net.TCPAddr{IP: net.IP(b.Addr[:]), Port: b.Port})

	runtime.LockOSThread() // the accept loop, too, owns its thread and blocks in accept4(2)
	for {
		fd, _, err := syscall.Accept4(lfd, syscall.SOCK_CLOEXEC)
		if err == syscall.EINTR || err == syscall.ECONNABORTED {
			continue
		}
		if err != nil {
			log.Fatalf("accept: %v", err)
		}
		go serve(fd)
	}
}

// serve echoes on one connection with a thread that does nothing else, blocked in read(2) while the client is idle.
func serve(fd int) {
	runtime.LockOSThread()
	// The goroutine ends still locked, so Go ends its thread with it instead of reusing it.
	defer syscall.Close(fd)
	buf := make([]byte, 4096)
	for {
		n, err := syscall.Read(fd, buf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil || n <= 0 {
			return
		}
		for off := 0; off < n; {
			w, err := syscall.Write(fd, buf[off:n])
			if err == syscall.EINTR {
				continue
			}
			if err != nil {
				return
			}
			off += w
		}
	}
}
