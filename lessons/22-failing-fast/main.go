// Exercise 22, in Go: the breaker of start.ts, which still calls the upstream every time. The lesson gives it its
// three states: closed, open after failures in a row (calls fail fast with errOpen), and half-open with one probe.
//
// Run it:  go run main.go   (it starts an upstream that fails its first 6 requests, then calls it 40 times, 50 ms apart)
package main

import (
	"bufio"
	"errors"
	"fmt"
	"log"
	"net"
	"sync"
	"time"
)

var errOpen = errors.New("circuit breaker is open")

type state int

const (
	closed state = iota
	open
	halfOpen
)

type breaker struct {
	mu        sync.Mutex
	threshold int           // failures in a row that open it
	openFor   time.Duration // how long it stays open before a probe
	now       func() time.Time
	state     state
	failures  int
	openedAt  time.Time
	probing   bool
}

// call runs fn through the breaker. TODO: it never opens.
func (b *breaker) call(fn func() error) error {
	return fn()
}

// callUpstream dials, sends a line and reads one reply, all under one deadline; "ok" is success.
func callUpstream(addr string, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(timeout))
	fmt.Fprint(conn, "call\n")
	reply, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if reply != "ok\n" {
		return fmt.Errorf("upstream answered %q", reply)
	}
	return nil
}

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	reached := 0
	var mu sync.Mutex
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			reached++
			failing := reached <= 6
			mu.Unlock()
			bufio.NewReader(conn).ReadString('\n')
			if failing {
				fmt.Fprint(conn, "ERR upstream failing\n")
			} else {
				fmt.Fprint(conn, "ok\n")
			}
			conn.Close()
		}
	}()
	b := &breaker{threshold: 3, openFor: 200 * time.Millisecond, now: time.Now}
	var ok, failed, failedFast int
	for i := 0; i < 40; i++ {
		err := b.call(func() error { return callUpstream(ln.Addr().String(), 500*time.Millisecond) })
		switch {
		case err == nil:
			ok++
		case errors.Is(err, errOpen):
			failedFast++
		default:
			failed++
		}
		time.Sleep(50 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	fmt.Printf("ok %d, failed %d, failed fast %d; the upstream was reached %d times\n", ok, failed, failedFast, reached)
}
