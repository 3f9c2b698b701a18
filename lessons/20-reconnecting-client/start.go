// Exercise 20 in Go: a client that reconnects with capped exponential backoff and full jitter.
//
// The server may be restarting: a connection it closes before saying "HELLO" is a failed attempt, like a dial
// error. connectWithBackoff below retries at once, as fast as it can: a reconnect storm of one. Make it wait
// before every retry: retry n (0 for the first) waits a random duration in [0, min(capWait, base·2^n)), drawn
// from rnd. Wait with the sleep it is given (main's sleep prints each wait, so the lab can compare it with what
// it sees). main is complete: it sends numbered messages, each acknowledged by the server, and reconnects when
// one is lost; change connectWithBackoff only.
//
// Run it:  go run start.go -addr 127.0.0.1:7455 -base 10ms -cap 160ms -attempts 30 -messages 6
// Check it with the lab as the peer (the lab is the server, and goes down and comes back):
// npm run lab -- go check lessons/20-reconnecting-client/start.go
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"net"
	"os"
	"time"
)

// connectWithBackoff dials addr until the server greets with "HELLO\n". It returns the greeted connection and
// the number of attempts it took, or the last attempt's error after maxAttempts failed attempts.
func connectWithBackoff(addr string, base, capWait time.Duration, maxAttempts int, rnd *rand.Rand, sleep func(time.Duration)) (net.Conn, int, error) {
	lastErr := errors.New("no attempt made")
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		// TODO: before every attempt but the first, wait (with sleep) a random part of the capped ceiling.
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			lastErr = err
			continue
		}
		conn.SetReadDeadline(time.Now().Add(time.Second))
		line, err := bufio.NewReader(conn).ReadString('\n')
		if err == nil && line == "HELLO\n" {
			conn.SetReadDeadline(time.Time{})
			return conn, attempt, nil
		}
		conn.Close()
		lastErr = fmt.Errorf("no greeting: %v", err)
	}
	return nil, maxAttempts, lastErr
}

func main() {
	addr := flag.String("addr", "127.0.0.1:7455", "address of the server")
	base := flag.Duration("base", 10*time.Millisecond, "ceiling of the first retry's wait")
	capWait := flag.Duration("cap", 160*time.Millisecond, "no wait is longer than this")
	attempts := flag.Int("attempts", 30, "attempts in all before giving up")
	messages := flag.Int("messages", 6, "messages to send")
	every := flag.Duration("every", 50*time.Millisecond, "time between two messages")
	seed := flag.Int64("seed", time.Now().UnixNano(), "seed of the jitter (Go 1.19 does not seed math/rand itself)")
	flag.Parse()
	rnd := rand.New(rand.NewSource(*seed))
	sleep := func(d time.Duration) {
		fmt.Printf("wait %dus\n", d.Microseconds())
		time.Sleep(d)
	}

	var conn net.Conn
	var reader *bufio.Reader
	for i := 1; i <= *messages; {
		if conn == nil {
			c, n, err := connectWithBackoff(*addr, *base, *capWait, *attempts, rnd, sleep)
			if err != nil {
				fmt.Println("gave up:", err)
				os.Exit(1)
			}
			fmt.Printf("connected after %d attempts\n", n)
			conn, reader = c, bufio.NewReader(c)
		}
		conn.SetDeadline(time.Now().Add(time.Second))
		_, err := fmt.Fprintf(conn, "msg %d\n", i)
		ack := ""
		if err == nil {
			ack, err = reader.ReadString('\n')
		}
		if err != nil || ack != fmt.Sprintf("ack %d\n", i) {
			fmt.Printf("message %d lost (%v): reconnecting\n", i, err)
			conn.Close()
			conn = nil
			continue
		}
		fmt.Printf("message %d acknowledged\n", i)
		i++
		time.Sleep(*every)
	}
	conn.Close()
	fmt.Println("every message acknowledged")
}
