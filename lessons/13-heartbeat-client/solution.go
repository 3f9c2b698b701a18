// Exercise 13 in Go, solved: a client with a heartbeat and a read timeout.
//
// Every read gets a deadline of `timeout` from now, so silence ends the read with a timeout error; the heartbeat
// goroutine selects on its ticker and on a done channel that keepAlive closes when it returns.
//
// Run it:  go run solution.go -addr 127.0.0.1:7452 -interval 200ms -timeout 1s
// Check it (the lab is the server, and goes silent):
//   npm run lab -- go check lessons/13-heartbeat-client/solution.go
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"
)

// keepAlive connects to addr, sends "PING\n" every interval and hands the text of every "MSG <text>" line to
// onMessage (the server answers each PING with "PONG"). It returns nil when the server closes the connection,
// or the error that ended it: a timeout error after `timeout` of silence. Either way it closes the connection
// and leaves no goroutine behind.
func keepAlive(addr string, interval, timeout time.Duration, onMessage func(string)) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()

	// The heartbeat: a PING every interval until keepAlive returns and closes done.
	done := make(chan struct{})
	defer close(done)
	go func() {
		ticker := time.NewTicker(interval)
		defer ticker.Stop()
		for {
			select {
			case <-done:
				return
			case <-ticker.C:
				if _, err := io.WriteString(conn, "PING\n"); err != nil {
					return
				}
			}
		}
	}()

	reader := bufio.NewReader(conn)
	for {
		// Any line, PONG or MSG, proves the server alive: each read gets a fresh deadline.
		if err := conn.SetReadDeadline(time.Now().Add(timeout)); err != nil {
			return err
		}
		line, err := reader.ReadString('\n')
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if strings.HasPrefix(line, "MSG ") {
			onMessage(strings.TrimSpace(strings.TrimPrefix(line, "MSG ")))
		}
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:7452", "address of the heartbeat server")
	interval := flag.Duration("interval", 200*time.Millisecond, "time between two PINGs")
	timeout := flag.Duration("timeout", time.Second, "silence after which the server is considered gone")
	flag.Parse()
	err := keepAlive(*addr, *interval, *timeout, func(text string) { fmt.Println("message:", text) })
	if err != nil {
		fmt.Println("keepAlive:", err)
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			fmt.Println("the server went silent: gave up after", *timeout)
		}
		os.Exit(1)
	}
	fmt.Println("the server closed the connection")
}
