// 第 31 课：真实丢包下的 TCP。同一台机器上的接收端和发送端通过 TCP 传送 N 字节；程序每 100 毫秒打印
// 已收到多少，以及内核对发送端套接字的描述（TCP_INFO：平滑 RTT、重传超时、拥塞窗口、到目前为止重传的
// 报文段数），最后打印吞吐量。
//
// 在干净的回环上不会丢任何东西。要看到丢包，请在一个回环会丢弃报文段的网络命名空间里运行它
// （需要 root；本课“在 Go 里读 TCP_INFO”一步给出了命令）：
//
//	go run main.go -bytes 2097152 -addr 127.0.0.1:5001
//
// TCP_INFO 是 Linux 的。Go 1.19 的 syscall 包有它的结构体（syscall.TCPInfo），却没有读取它的函数
// （golang.org/x/sys/unix 里有：unix.GetsockoptTCPInfo）；这个程序只用标准库，自己调用 getsockopt(2)。
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

// tcpInfo 通过连接的文件描述符读取内核为它保存的 TCP_INFO。
func tcpInfo(conn *net.TCPConn) (*syscall.TCPInfo, error) {
	raw, err := conn.SyscallConn()
	if err != nil {
		return nil, err
	}
	var info syscall.TCPInfo
	var errno syscall.Errno
	// Control 在连接保持描述符打开期间，用这个描述符运行函数。
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
		// io.Copy 一直读到发送端关闭它那一端：每一个字节，不管 TCP 分成多少块交付。
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
		// Write 在字节进入内核的发送缓冲区时就返回，而不是在它们到达时：接收端的计数和 TCP_INFO
		// 才说明真正发生了什么。
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
			// Rtt、Rttvar 和 Rto 的单位是微秒；Snd_cwnd 的单位是报文段。
			fmt.Printf("%5.1f s  received %8d  rtt %6.2f ms  rto %4d ms  cwnd %4d  retransmitted %d\n",
				time.Since(start).Seconds(), atomic.LoadInt64(&got), float64(info.Rtt)/1000, info.Rto/1000,
				info.Snd_cwnd, info.Total_retrans)
		}
	}
}

// countingReader 统计经过它的字节数，好让主 goroutine 打印进度。
type countingReader struct {
	r io.Reader
	n *int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	atomic.AddInt64(c.n, int64(n)) // 这个 goroutine 写入时，主 goroutine 在读取
	return n, err
}
