// Exercise 21 in Go: a line server that limits each client with a token bucket.
//
// A bucket holds at most `burst` tokens and gains `rate` tokens a second; it starts full. allow takes one token
// and returns true, or returns false and takes nothing when there is less than one whole token. retryAfter says
// how long until there is a token again. Every request line gets an answer at once: "ok <line>" when allowed,
// "ERR rate limited, retry after <n>ms" when not; a refused client never waits.
// main and serve are complete; change allow and retryAfter only.
//
// Run it:  go run start.go -addr 127.0.0.1:7453 -rate 20 -burst 5
// Check it with the lab as the peer (the lab is the client, offering load at known rates):
// npm run lab -- go check lessons/21-token-bucket/start.go
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"net"
	"strings"
	"time"
)

// tokenBucket is one client's allowance: tokens, refilled at rate per second up to burst.
type tokenBucket struct {
	rate, burst float64
	tokens      float64
	last        time.Time // when tokens was last brought up to date
}

func newTokenBucket(rate float64, burst int) *tokenBucket {
	return &tokenBucket{rate: rate, burst: float64(burst), tokens: float64(burst), last: time.Now()}
}

// allow takes one token if there is one. TODO: it lets everything through, and tokens never change.
func (b *tokenBucket) allow() bool {
	return true
}

// retryAfter is how long until the bucket holds one whole token (0 if it holds one now). TODO.
func (b *tokenBucket) retryAfter() time.Duration {
	return 0
}

// serve answers every request line of one connection, with a bucket of its own.
func serve(c net.Conn, rate float64, burst int) {
	defer c.Close()
	bucket := newTokenBucket(rate, burst)
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
}

func main() {
	addr := flag.String("addr", "127.0.0.1:7453", "address to listen on")
	rate := flag.Float64("rate", 20, "tokens a second, per connection")
	burst := flag.Int("burst", 5, "most tokens a bucket holds")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listening on %s: %g requests a second per connection, bursts of %d\n", ln.Addr(), *rate, *burst)
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Fatal(err)
		}
		go serve(conn, *rate, *burst)
	}
}
