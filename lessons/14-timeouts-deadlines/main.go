// Lesson 14: timeouts and deadlines on a connection that misbehaves on purpose.
//
// Against the lab's fault proxy (the lesson page shows both addresses):
//
//	go run main.go -proxy 127.0.0.1:PORT -control 127.0.0.1:CONTROL_PORT
//
// On its own, go run main.go starts a server of its own that accepts and never answers (a blackhole).
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"time"
)

func main() {
	proxy := flag.String("proxy", "", "the fault proxy's address (empty: a silent server of this program's own)")
	control := flag.String("control", "", "the fault proxy's control address, to set a stall")
	flag.Parse()

	addr := *proxy
	if addr == "" {
		addr = silentServer()
	} else if *control != "" {
		// The stall holds what the server sends back; it is cleared when this connection closes.
		c, err := setFault(*control, `{"fault":{"type":"stall"},"direction":"down"}`)
		if err != nil {
			fmt.Println("set fault:", err)
			return
		}
		defer c.Close()
	}

	// A dial timeout bounds the connect (SYN to handshake done). On loopback a closed port answers at once
	// (connection refused); the timeout is for a peer whose SYNs go unanswered.
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		fmt.Println("dial:", err)
		return
	}
	defer conn.Close()

	// Without a deadline, a read waits as long as the peer stays silent: forever.
	go readWithoutDeadline(addr)

	// With one, the read ends at the deadline with a timeout error.
	start := time.Now()
	if err := conn.SetReadDeadline(time.Now().Add(500 * time.Millisecond)); err != nil {
		fmt.Println("set deadline:", err)
		return
	}
	if _, err := conn.Write([]byte("are you there?\n")); err != nil {
		fmt.Println("write:", err)
		return
	}
	_, err = bufio.NewReader(conn).ReadString('\n')
	fmt.Printf("read with a 500 ms deadline, after %v: %v\n", time.Since(start).Round(10*time.Millisecond), err)
	describe(err)

	// Layered: each call has its own limit, and the request's context bounds all its calls together.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err = request(ctx, conn, "hello?", time.Second)
	fmt.Println("request (300 ms per request, 1 s per call):", err)

	// Give the goroutine without a deadline a moment on the timeline, then leave it stuck.
	time.Sleep(time.Second)
	fmt.Println("main returns; the read without a deadline is still waiting")
}

// readWithoutDeadline sends a line and waits for the answer with no deadline.
func readWithoutDeadline(addr string) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		fmt.Println("dial:", err)
		return
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("are you there?\n")); err != nil {
		return
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	fmt.Println("never printed while the peer is silent:", line, err)
}

// request writes a line and reads the answer, giving the read the earlier of the per-call limit and the
// context's deadline. A deadline is an absolute time: it is set again before every call.
func request(ctx context.Context, conn net.Conn, line string, perCall time.Duration) (string, error) {
	deadline := time.Now().Add(perCall)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	if err := conn.SetDeadline(deadline); err != nil {
		return "", err
	}
	if _, err := conn.Write([]byte(line + "\n")); err != nil {
		return "", err
	}
	return bufio.NewReader(conn).ReadString('\n')
}

// describe prints what a timeout error is made of.
func describe(err error) {
	var ne net.Error
	fmt.Println("  errors.As(err, &ne) && ne.Timeout():", errors.As(err, &ne) && ne.Timeout())
	fmt.Println("  errors.Is(err, os.ErrDeadlineExceeded):", errors.Is(err, os.ErrDeadlineExceeded))
}

// setFault asks the fault proxy's control endpoint for a fault and returns the control connection.
func setFault(control, rule string) (net.Conn, error) {
	c, err := net.DialTimeout("tcp", control, 2*time.Second)
	if err != nil {
		return nil, err
	}
	if _, err := fmt.Fprintf(c, "{\"action\":\"set\",\"rule\":%s}\n", rule); err != nil {
		c.Close()
		return nil, err
	}
	reply, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		c.Close()
		return nil, err
	}
	fmt.Print("fault set: ", reply)
	return c, nil
}

// silentServer listens on a free loopback port, accepts and never answers.
func silentServer() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("listen:", err)
		os.Exit(1)
	}
	go func() {
		var held []net.Conn // kept, so the connections stay open and silent
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	return ln.Addr().String()
}
