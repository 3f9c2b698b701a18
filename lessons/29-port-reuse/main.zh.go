// 第 29 课：端口复用。SO_REUSEADDR 决定服务器的旧连接还在 TIME_WAIT 中等待时，它能否在原端口上重新监听；
// SO_REUSEPORT 让多个监听器共享一个端口，由内核把连接分配给它们。两个选项都在 bind 之前，
// 通过 net.ListenConfig.Control 设置在套接字上。
//
// 仅限 Linux：选项的编号和含义都是 Linux 的（Go 1.19 的 syscall 包有 SO_REUSEADDR，
// 但没有 SO_REUSEPORT；golang.org/x/sys/unix 中它叫 unix.SO_REUSEPORT）。
package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"syscall"
)

// soReusePort 是 Linux 上的 SO_REUSEPORT（amd64、arm64、386、arm、riscv64 等）。
const soReusePort = 0xf

// listenConfig 返回一个 ListenConfig，它的 Control 把 SO_REUSEADDR 设为 reuseAddr（Control 运行时，
// Go 已经在每个监听器上把它设为 1，所以 false 会清除它），reusePort 为 true 时再把 SO_REUSEPORT 设为 1。
func listenConfig(reuseAddr, reusePort bool) net.ListenConfig {
	return net.ListenConfig{Control: func(network, address string, c syscall.RawConn) error {
		var opErr error
		err := c.Control(func(fd uintptr) {
			v := 0
			if reuseAddr {
				v = 1
			}
			opErr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_REUSEADDR, v)
			if opErr == nil && reusePort {
				opErr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, soReusePort, 1)
			}
		})
		if err != nil {
			return err
		}
		return opErr
	}}
}

func listen(port int, reuseAddr, reusePort bool) (net.Listener, error) {
	lc := listenConfig(reuseAddr, reusePort)
	return lc.Listen(context.Background(), "tcp", "127.0.0.1:"+strconv.Itoa(port))
}

// restart 服务一个连接，并先关闭它（于是服务器这一端在 TIME_WAIT 中等待 60 秒），关闭监听器，
// 然后像立即重启的服务器那样，在同一个端口上重新监听。
func restart(reuseAddr bool) {
	ln, err := listen(0, reuseAddr, false)
	if err != nil {
		fmt.Println("listen:", err)
		return
	}
	port := ln.Addr().(*net.TCPAddr).Port
	go func() {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			return
		}
		_, _ = io.Copy(io.Discard, c) // 一直读到服务器关闭，然后自己也关闭
		c.Close()
	}()
	conn, err := ln.Accept()
	if err != nil {
		fmt.Println("accept:", err)
		return
	}
	fmt.Printf("SO_REUSEADDR=%v: served %s -> %s, the server closes first\n", reuseAddr, conn.LocalAddr(), conn.RemoteAddr())
	conn.Close()
	ln.Close()

	again, err := listen(port, reuseAddr, false)
	if err != nil {
		// Linux：“listen tcp 127.0.0.1:PORT: bind: address already in use”（EADDRINUSE）。
		fmt.Println("  restart failed:", err)
		return
	}
	fmt.Println("  restart listens on", again.Addr())
	again.Close()
}

// spread 用 SO_REUSEPORT 在一个端口上启动 k 个监听器，建立 n 个连接，并统计每个连接由哪个监听器应答。
func spread(k, n int) {
	var listeners []net.Listener
	port := 0
	for i := 0; i < k; i++ {
		ln, err := listen(port, true, true)
		if err != nil {
			fmt.Println("listen:", err)
			return
		}
		port = ln.Addr().(*net.TCPAddr).Port
		listeners = append(listeners, ln)
		go func(id int, ln net.Listener) {
			for {
				c, err := ln.Accept()
				if err != nil {
					return // 已关闭
				}
				fmt.Fprintf(c, "%d\n", id)
				c.Close()
			}
		}(i, ln)
	}
	counts := make([]int, k)
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 50) // 同时最多 50 个连接
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			c, err := net.Dial("tcp", listeners[0].Addr().String())
			if err != nil {
				return
			}
			defer c.Close()
			line, err := bufio.NewReader(c).ReadString('\n')
			if err != nil {
				return
			}
			id, err := strconv.Atoi(line[:len(line)-1])
			if err == nil && id >= 0 && id < k {
				mu.Lock()
				counts[id]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for _, ln := range listeners {
		ln.Close()
	}
	total := 0
	for i, c := range counts {
		fmt.Printf("listener %d: %d connections\n", i, c)
		total += c
	}
	fmt.Printf("%d listeners on port %d answered %d of %d connections\n", k, port, total, n)
}

func main() {
	restart(false) // 失败：旧连接的 TIME_WAIT 占着端口
	restart(true)  // Go 的默认设置：立即重新监听
	spread(4, 1000)
}
