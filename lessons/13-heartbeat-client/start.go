// Exercise 13 in Go: a client with a heartbeat and a read timeout.
//
// A TCP connection can die without a FIN: a cable pulled, a NAT entry expired, a peer frozen. Reading from it
// then blocks forever. The client below sends "PING\n" every interval and prints what the server says.
// Make it notice silence: if nothing at all arrives for `timeout`, close the connection and return the timeout
// error. When the server closes normally (EOF), return nil. Either way, leave no goroutine behind.
// main is complete; change keepAlive only.
//
// Run it:  go run start.go -addr 127.0.0.1:7452 -interval 200ms -timeout 1s
// Check it (the lab is the server, and goes silent):
//   npm run lab -- go check lessons/13-heartbeat-client/start.go
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

	// The heartbeat. TODO: it stops only when a write fails, after keepAlive closed the connection: until then
	// it is a goroutine leak. Stop it when keepAlive returns.
	go func() {
		ticker := time.NewTicker(interval)
		defer ticker.Stop()
		for range ticker.C {
			if _, err := io.WriteString(conn, "PING\n"); err != nil {
				return
			}
		}
	}()

	reader := bufio.NewReader(conn)
	for {
		// TODO: with no deadline, a silent server makes this wait forever.
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
