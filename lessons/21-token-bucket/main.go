// Exercise 21, in Go: the token bucket of start.ts, still letting everything through, and the server that asks it.
// The lesson fills in allow and retryAfter so that a burst passes, the rest is refused at once with a line, and
// tokens come back at the rate.
//
// Run it:  go run main.go   (it starts the server, sends 12 lines at once and prints the replies)
package main

import (
	"bufio"
	"fmt"
	"log"
	"net"
	"strings"
	"time"
)

type tokenBucket struct {
	rate, burst float64
	tokens      float64
	last        time.Time
	now         func() time.Time
}

func newTokenBucket(rate float64, burst int, now func() time.Time) *tokenBucket {
	return &tokenBucket{rate: rate, burst: float64(burst), tokens: float64(burst), last: now(), now: now}
}

// allow takes one token if there is one. TODO: it lets everything through.
func (b *tokenBucket) allow() bool {
	return true
}

// retryAfter is how long until the bucket holds one token. TODO.
func (b *tokenBucket) retryAfter() time.Duration {
	return 0
}

func serveLimited(ln net.Listener, newBucket func() *tokenBucket) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		go func(c net.Conn) {
			defer c.Close()
			bucket := newBucket() // one bucket per connection
			r := bufio.NewReader(c)
			for {
				line, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if bucket.allow() {
					fmt.Fprintf(c, "ok %s\n", strings.TrimSpace(line))
				} else {
					fmt.Fprintf(c, "ERR rate limited, retry after %dms\n", bucket.retryAfter().Milliseconds())
				}
			}
		}(conn)
	}
}

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	go serveLimited(ln, func() *tokenBucket { return newTokenBucket(2, 5, time.Now) })
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(conn, "request %d\n", i)
	}
	r := bufio.NewReader(conn)
	for i := 0; i < 12; i++ {
		reply, err := r.ReadString('\n')
		if err != nil {
			log.Fatal(err)
		}
		fmt.Print(reply)
	}
}
