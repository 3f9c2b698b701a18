// Lesson 17: a line server behind two token buckets, one per client connection and one for all clients.
//
// A token bucket holds at most `burst` tokens and gains `rate` tokens a second. Every request takes one token from
// its client's bucket and one from the global bucket; when either is empty the request is refused at once with an
// error line that says when to retry. A refused client is told, never left waiting.
//
// Run it:     go run main.go -addr 127.0.0.1:9017 -rate 200 -burst 50 -client-rate 100 -client-burst 20
// Talk to it: nc 127.0.0.1 9017 (one request per line; paste many lines at once to see refusals)
//
// The bucket below behaves like golang.org/x/time/rate's Limiter.Allow; in a real program use that package:
//
//	lim := rate.NewLimiter(rate.Limit(200), 50)
//	if !lim.Allow() { /* refuse */ }
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"net"
	"strings"
	"sync"
	"time"
)

// tokenBucket is safe for use by many goroutines.
type tokenBucket struct {
	mu     sync.Mutex
	rate   float64 // tokens added per second
	burst  float64 // most tokens held, and the starting amount
	tokens float64
	last   time.Time
}

func newTokenBucket(rate float64, burst int) *tokenBucket {
	return &tokenBucket{rate: rate, burst: float64(burst), tokens: float64(burst), last: time.Now()}
}

// advance adds the tokens earned since the last call, up to burst. The caller holds mu.
func (b *tokenBucket) advance(now time.Time) {
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens += elapsed.Seconds() * b.rate
		if b.tokens > b.burst {
			b.tokens = b.burst
		}
		b.last = now
	}
}

// level reports the tokens in the bucket now.
func (b *tokenBucket) level(now time.Time) float64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advance(now)
	return b.tokens
}

// allow takes one token if there is one and reports whether it did (rate.Limiter.Allow).
func (b *tokenBucket) allow(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advance(now)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// retryAfter is how long until the bucket holds one token again.
func (b *tokenBucket) retryAfter(now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advance(now)
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
}

type server struct {
	global      *tokenBucket
	clientRate  float64
	clientBurst int
}

func (s *server) serve(conn net.Conn) {
	defer conn.Close()
	client := newTokenBucket(s.clientRate, s.clientBurst)
	in := bufio.NewReader(conn)
	out := bufio.NewWriter(conn)
	for {
		line, err := in.ReadString('\n')
		if err != nil {
			break
		}
		now := time.Now()
		// The client's own bucket first, so a noisy client is told about itself and spends no global token.
		switch {
		case client.level(now) < 1:
			fmt.Fprintf(out, "ERR rate limited (client bucket), retry after %v\n", client.retryAfter(now).Round(time.Millisecond))
		case !s.global.allow(now):
			fmt.Fprintf(out, "ERR rate limited (global bucket), retry after %v\n", s.global.retryAfter(now).Round(time.Millisecond))
		default:
			client.allow(now)
			fmt.Fprintf(out, "ok %s\n", strings.TrimRight(line, "\r\n"))
		}
		// Answer at once when no more requests are already waiting in the buffer.
		if in.Buffered() == 0 {
			if err := out.Flush(); err != nil {
				return
			}
		}
	}
	out.Flush()
}

func main() {
	addr := flag.String("addr", "127.0.0.1:9017", "address to listen on")
	rate := flag.Float64("rate", 200, "global tokens per second")
	burst := flag.Int("burst", 50, "global bucket size")
	clientRate := flag.Float64("client-rate", 100, "tokens per second for each client")
	clientBurst := flag.Int("client-burst", 20, "bucket size for each client")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("rate-limited line server on %s: global %.0f/s burst %d, per client %.0f/s burst %d",
		ln.Addr(), *rate, *burst, *clientRate, *clientBurst)
	s := &server{global: newTokenBucket(*rate, *burst), clientRate: *clientRate, clientBurst: *clientBurst}
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Fatal(err)
		}
		go s.serve(conn)
	}
}
