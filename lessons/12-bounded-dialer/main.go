// Exercise 12, in Go: fetchAll as in start.ts — one goroutine per id, so every request is in flight at once.
// The lesson shows how a fixed pool of workers reading one jobs channel bounds it.
//
// Run it:  go run main.go   (it starts its own slow server on a free loopback port)
package main

import (
	"bufio"
	"fmt"
	"log"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// fetchOne dials addr, sends "<id>\n" and returns the one-line reply.
func fetchOne(addr string, id int) (string, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := fmt.Fprintf(conn, "%d\n", id); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(line), nil
}

// fetchAll asks for every id. TODO: at most `workers` requests at once; this starts one goroutine per id.
func fetchAll(addr string, ids []int, workers int) []string {
	results := make([]string, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func(i, id int) {
			defer wg.Done()
			reply, err := fetchOne(addr, id)
			if err != nil {
				reply = "error: " + err.Error()
			}
			results[i] = reply
		}(i, id)
	}
	wg.Wait()
	return results
}

// slowServer answers each request after 50 ms and records the most connections open at once.
func slowServer() (string, *int64, func()) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatalf("listen: %v", err)
	}
	var open, peak int64
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			n := atomic.AddInt64(&open, 1)
			for {
				p := atomic.LoadInt64(&peak)
				if n <= p || atomic.CompareAndSwapInt64(&peak, p, n) {
					break
				}
			}
			go func(c net.Conn) {
				defer atomic.AddInt64(&open, -1)
				defer c.Close()
				line, err := bufio.NewReader(c).ReadString('\n')
				if err != nil {
					return
				}
				time.Sleep(50 * time.Millisecond)
				fmt.Fprintf(c, "value-%s\n", strings.TrimSpace(line))
			}(conn)
		}
	}()
	return ln.Addr().String(), &peak, func() { ln.Close() }
}

func main() {
	addr, peak, stop := slowServer()
	defer stop()
	ids := make([]int, 24)
	for i := range ids {
		ids[i] = i + 1
	}
	start := time.Now()
	results := fetchAll(addr, ids, 4)
	fmt.Printf("%d replies in %v, first %q, last %q\n", len(results), time.Since(start).Round(time.Millisecond), results[0], results[len(results)-1])
	fmt.Printf("connections open at once: at most %d (the bound is 4)\n", atomic.LoadInt64(peak))
}
