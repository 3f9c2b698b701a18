// Exercise 13, in Go: the client of start.ts — a heartbeat goroutine that never stops, and reads without a
// deadline, so a server that freezes (the connection still open) leaves it waiting forever. The lesson adds
// SetReadDeadline before each read and a done channel for the heartbeat.
//
// Run it:  go run main.go   (it starts its own server, which answers for one second and then freezes)
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"time"
)

// keepAlive sends "PING\n" every interval and passes each "MSG …" line to onMessage.
// TODO: give up after `timeout` of silence (SetReadDeadline), and stop the heartbeat when returning.
func keepAlive(addr string, interval, timeout time.Duration, onMessage func(string)) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()

	go func() {
		ticker := time.NewTicker(interval)
		for range ticker.C { // never stops: a goroutine leak once keepAlive returns
			if _, err := io.WriteString(conn, "PING\n"); err != nil {
				return
			}
		}
	}()

	reader := bufio.NewReader(conn)
	for {
		line, err := reader.ReadString('\n') // no deadline: a frozen server blocks this forever
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if strings.HasPrefix(line, "MSG ") {
			onMessage(strings.TrimSpace(line[4:]))
		}
	}
}

// flakyServer answers PINGs for answerFor, then keeps reading but never answers again.
func flakyServer(answerFor time.Duration) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatalf("listen: %v", err)
	}
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		started := time.Now()
		io.WriteString(conn, "MSG welcome\n")
		reader := bufio.NewReader(conn)
		for {
			line, err := reader.ReadString('\n')
			if err != nil {
				return
			}
			if line == "PING\n" && time.Since(started) < answerFor {
				io.WriteString(conn, "PONG\n")
			}
		}
	}()
	return ln.Addr().String()
}

func main() {
	addr := flakyServer(time.Second)
	started := time.Now()
	result := make(chan error, 1)
	go func() {
		result <- keepAlive(addr, 200*time.Millisecond, 600*time.Millisecond, func(text string) {
			fmt.Printf("%5d ms  message: %s\n", time.Since(started).Milliseconds(), text)
		})
	}()
	select {
	case err := <-result:
		fmt.Printf("%5d ms  keepAlive returned: %v\n", time.Since(started).Milliseconds(), err)
	case <-time.After(4 * time.Second):
		fmt.Println("after 4 s keepAlive is still waiting on a server that went silent at 1 s")
	}
}
