// Lesson 29: port reuse. SO_REUSEADDR decides whether a server can listen again on its port while its old
// connections wait in TIME_WAIT; SO_REUSEPORT lets several listeners share one port, and the kernel spreads the
// connections across them. Both options are set with net.ListenConfig.Control, on the socket before bind.
//
// Linux only: the option numbers and their meaning are Linux's (Go 1.19's syscall package has SO_REUSEADDR but
// not SO_REUSEPORT; golang.org/x/sys/unix names it unix.SO_REUSEPORT).
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

// soReusePort is SO_REUSEPORT on Linux (amd64, arm64, 386, arm, riscv64, ...).
const soReusePort = 0xf

// listenConfig returns a ListenConfig whose Control sets SO_REUSEADDR to reuseAddr (Go has already set it to 1
// on every listener when Control runs, so false clears it) and, when reusePort is true, SO_REUSEPORT to 1.
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

// restart serves one connection, closes it first (so the server's end waits in TIME_WAIT for 60 s), closes the
// listener, and listens again on the same port, as a server restarted at once would.
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
		_, _ = io.Copy(io.Discard, c) // reads until the server closes, then closes too
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
		// Linux: "listen tcp 127.0.0.1:PORT: bind: address already in use" (EADDRINUSE).
		fmt.Println("  restart failed:", err)
		return
	}
	fmt.Println("  restart listens on", again.Addr())
	again.Close()
}

// spread starts k listeners on one port with SO_REUSEPORT, makes n connections, and counts which listener
// answered each one.
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
					return // closed
				}
				fmt.Fprintf(c, "%d\n", id)
				c.Close()
			}
		}(i, ln)
	}
	counts := make([]int, k)
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 50) // at most 50 connections at once
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
	restart(false) // fails: the old connection's TIME_WAIT holds the port
	restart(true)  // Go's default: listens again at once
	spread(4, 1000)
}
