// Lesson 15: a client that notices a dead server by its heartbeat, reconnects with capped exponential backoff and
// full jitter, and resumes the stream where it left off.
//
// Run it:   go run main.go
// It starts its own server on loopback, which streams numbered messages for 1 s, then freezes (keeps the
// connection, answers nothing), then goes down (closes every connection at once) and comes back 1.5 s later.
// Watch the client notice the silence, back off while the server is down, and resume at the next message.
//
// Against another server speaking the same lines (for example through the lab's fault proxy):
//
//	go run main.go -addr 127.0.0.1:9015
//
// The lines: the server greets with "HELLO"; the client asks "RESUME <n>"; the server sends "MSG <n>" lines and
// answers "PING" with "PONG".
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	interval = 100 * time.Millisecond // a PING this often
	timeout  = 400 * time.Millisecond // silence this long means the server is gone
	base     = 50 * time.Millisecond  // the first wait before a retry
	maxWait  = 800 * time.Millisecond // no wait is longer (the cap)
	wantMsgs = 40                     // the client stops after message 39
)

var start = time.Now()

func logf(format string, args ...any) {
	fmt.Printf("%5d ms  %s\n", time.Since(start).Milliseconds(), fmt.Sprintf(format, args...))
}

// backoff is capped exponential backoff with full jitter: retry n waits a uniform random time in
// [0, min(maxWait, base·2^n)).
type backoff struct {
	retry int
	rnd   *rand.Rand
}

func (b *backoff) next() time.Duration {
	ceiling := maxWait
	if b.retry < 30 && base<<b.retry < maxWait {
		ceiling = base << b.retry
	}
	b.retry++
	return time.Duration(b.rnd.Int63n(int64(ceiling)))
}

func (b *backoff) reset() { b.retry = 0 }

// session runs one connection: the greeting, RESUME, a heartbeat goroutine, and reads with a deadline each.
// It returns when the connection ends; *next is the first message not yet received.
func session(conn net.Conn, next *int) error {
	defer conn.Close()
	r := bufio.NewReader(conn)
	// The greeting proves the server's program (not just its kernel) is there: no HELLO, no connection.
	conn.SetReadDeadline(time.Now().Add(timeout))
	if line, err := r.ReadString('\n'); err != nil || line != "HELLO\n" {
		return fmt.Errorf("no greeting: %v", err)
	}
	if _, err := fmt.Fprintf(conn, "RESUME %d\n", *next); err != nil {
		return err
	}
	logf("connected; resuming at message %d", *next)

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
				if _, err := conn.Write([]byte("PING\n")); err != nil {
					return
				}
			}
		}
	}()

	for *next < wantMsgs {
		// A deadline is a point in time: set again before every read, so any line keeps the connection alive.
		conn.SetReadDeadline(time.Now().Add(timeout))
		line, err := r.ReadString('\n')
		if err != nil {
			return err
		}
		if strings.HasPrefix(line, "MSG ") {
			if seq, err := strconv.Atoi(strings.TrimSpace(line[4:])); err == nil && seq == *next {
				*next = seq + 1
				if seq%10 == 0 {
					logf("message %d", seq)
				}
			}
		}
	}
	return nil
}

func client(addr string) {
	b := &backoff{rnd: rand.New(rand.NewSource(time.Now().UnixNano()))}
	next := 0
	for next < wantMsgs {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			before := next
			err = session(conn, &next)
			if next > before {
				b.reset() // a session that delivered something starts the schedule over
			}
			if next >= wantMsgs {
				break
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				logf("silence for %v: the server is gone (heartbeat)", timeout)
			} else {
				logf("connection lost: %v", err)
			}
		}
		wait := b.next()
		logf("retry %d in %v", b.retry, wait.Round(time.Millisecond))
		time.Sleep(wait)
	}
	logf("got all %d messages", wantMsgs)
}

// flakyServer streams MSG lines, then freezes, goes down and comes back, on a schedule.
type flakyServer struct {
	mu     sync.Mutex
	state  string // "up", "frozen" or "down"
	conns  map[net.Conn]bool
	listen net.Listener
}

func (s *flakyServer) set(state string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state = state
	if state == "down" {
		for c := range s.conns {
			c.Close()
		}
	}
}

func (s *flakyServer) get() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

func (s *flakyServer) serve(conn net.Conn) {
	defer conn.Close()
	if s.get() == "down" {
		return // a restarting server: the connection closes at once
	}
	s.mu.Lock()
	s.conns[conn] = true
	s.mu.Unlock()
	defer func() { s.mu.Lock(); delete(s.conns, conn); s.mu.Unlock() }()
	var wmu sync.Mutex
	write := func(line string) error {
		switch s.get() {
		case "down":
			return net.ErrClosed
		case "frozen":
			return nil // the process hangs; its kernel still ACKs what arrives
		}
		wmu.Lock()
		defer wmu.Unlock()
		_, err := fmt.Fprint(conn, line)
		return err
	}
	if err := write("HELLO\n"); err != nil {
		return
	}
	r := bufio.NewReader(conn)
	line, err := r.ReadString('\n')
	if err != nil {
		return
	}
	seq, _ := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "RESUME ")))
	go func() {
		for ; ; seq++ {
			time.Sleep(40 * time.Millisecond)
			if write(fmt.Sprintf("MSG %d\n", seq)) != nil {
				return
			}
		}
	}()
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		if line == "PING\n" {
			write("PONG\n")
		}
	}
}

func startServer() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	s := &flakyServer{state: "up", conns: map[net.Conn]bool{}, listen: ln}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(conn)
		}
	}()
	go func() {
		time.Sleep(1000 * time.Millisecond)
		logf("[server] freezes")
		s.set("frozen")
		time.Sleep(1000 * time.Millisecond)
		logf("[server] goes down")
		s.set("down")
		time.Sleep(1500 * time.Millisecond)
		logf("[server] is back")
		s.set("up")
	}()
	return ln.Addr().String(), nil
}

func main() {
	addr := flag.String("addr", "", "server to connect to (default: start a flaky server on loopback)")
	flag.Parse()
	if *addr == "" {
		a, err := startServer()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		*addr = a
	}
	client(*addr)
}
