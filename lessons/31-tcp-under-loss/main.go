// Lesson 31: TCP under real loss. A receiver and a sender on one machine move N bytes over TCP; every 100 ms the
// program prints how much arrived and what the kernel says about the sender's socket (TCP_INFO: smoothed RTT,
// retransmission timeout, congestion window, segments retransmitted so far), and at the end the throughput.
//
// On a clean loopback nothing is lost. To see loss, run it inside a network namespace whose loopback drops
// segments (as root; the lesson's step "TCP_INFO from Go" gives the commands):
//
//	go run main.go -bytes 2097152 -addr 127.0.0.1:5001
//
// TCP_INFO is Linux's. Go 1.19's syscall package has its struct (syscall.TCPInfo) but no function that reads it
// (golang.org/x/sys/unix has one, unix.GetsockoptTCPInfo); this program keeps to the standard library and calls
// getsockopt(2) itself.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

// tcpInfo reads the kernel's TCP_INFO for a connection, through its file descriptor.
func tcpInfo(conn *net.TCPConn) (*syscall.TCPInfo, error) {
	raw, err := conn.SyscallConn()
	if err != nil {
		return nil, err
	}
	var info syscall.TCPInfo
	var errno syscall.Errno
	// Control runs the function with the descriptor while the connection keeps it open.
	err = raw.Control(func(fd uintptr) {
		size := uint32(unsafe.Sizeof(info))
		_, _, errno = syscall.Syscall6(syscall.SYS_GETSOCKOPT, fd, syscall.IPPROTO_TCP, syscall.TCP_INFO,
			uintptr(unsafe.Pointer(&info)), uintptr(unsafe.Pointer(&size)), 0)
	})
	if err != nil {
		return nil, err
	}
	if errno != 0 {
		return nil, errno
	}
	return &info, nil
}

func main() {
	size := flag.Int("bytes", 2<<20, "bytes to send")
	addr := flag.String("addr", "127.0.0.1:0", "where the receiver listens")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()

	received := make(chan int64, 1)
	var got int64
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			log.Fatal(err)
		}
		defer conn.Close()
		// io.Copy reads until the sender closes its side: every byte, in whatever pieces TCP delivers.
		n, err := io.Copy(io.Discard, &countingReader{r: conn, n: &got})
		if err != nil {
			log.Fatal(err)
		}
		received <- n
	}()

	start := time.Now()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		log.Fatal(err)
	}
	conn := c.(*net.TCPConn)
	go func() {
		// Write returns once the bytes are in the kernel's send buffer, not when they arrive: the receiver's count
		// and TCP_INFO say what really happened.
		if _, err := conn.Write(make([]byte, *size)); err != nil {
			log.Fatal(err)
		}
		if err := conn.CloseWrite(); err != nil {
			log.Fatal(err)
		}
	}()

	ticker := time.NewTicker(100 * time.Millisecond)
	defer ticker.Stop()
	var last *syscall.TCPInfo
	for {
		select {
		case n := <-received:
			elapsed := time.Since(start)
			if info, err := tcpInfo(conn); err == nil {
				last = info
			}
			fmt.Printf("%d bytes in %.2f s: %.2f MB/s\n", n, elapsed.Seconds(), float64(n)/elapsed.Seconds()/1e6)
			if last != nil {
				fmt.Printf("segments retransmitted (TCP_INFO total_retrans): %d\n", last.Total_retrans)
			}
			conn.Close()
			return
		case <-ticker.C:
			info, err := tcpInfo(conn)
			if err != nil {
				log.Fatal(err)
			}
			last = info
			// Rtt, Rttvar and Rto are in microseconds; Snd_cwnd in segments.
			fmt.Printf("%5.1f s  received %8d  rtt %6.2f ms  rto %4d ms  cwnd %4d  retransmitted %d\n",
				time.Since(start).Seconds(), atomic.LoadInt64(&got), float64(info.Rtt)/1000, info.Rto/1000,
				info.Snd_cwnd, info.Total_retrans)
		}
	}
}

// countingReader counts what passes through it, so the main goroutine can print progress.
type countingReader struct {
	r io.Reader
	n *int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	atomic.AddInt64(c.n, int64(n)) // read by the main goroutine while this one writes
	return n, err
}
