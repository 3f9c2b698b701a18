// Lesson 18: a circuit breaker in front of an upstream that stalls for a while and then recovers.
//
// Closed: calls go through and failures are counted in a sliding window. Too many failures in the window and the
// breaker opens: calls fail fast with errOpen, without touching the upstream. After a cool-down it is half-open: a
// few probe calls go through; if they succeed it closes, if one fails it opens again.
//
// Run it: go run main.go
// (it starts its own upstream on loopback, which stalls from 2 s to 5 s, and calls it 20 times a second for 8 s,
// directly and through the breaker, each call with a 500 ms deadline; then it prints what each path went through)
package main

import (
	"bufio"
	"errors"
	"fmt"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

var errOpen = errors.New("circuit breaker is open")

type state int

const (
	closed state = iota
	open
	halfOpen
)

func (s state) String() string {
	return [...]string{"closed", "open", "half-open"}[s]
}

// breaker is safe for use by many goroutines.
type breaker struct {
	mu         sync.Mutex
	threshold  int           // failures within window that open it
	window     time.Duration // how far back failures count
	openFor    time.Duration // cool-down before probes
	probes     int           // probe calls let through while half-open; this many successes close it
	now        func() time.Time
	onChange   func(from, to state)
	state      state
	generation int // bumped on every change: results of calls let in under an earlier state are ignored
	failures   []time.Time
	openedAt   time.Time
	probesOut  int
	probesOK   int
}

// allow asks to make a call; it returns the generation to pass to done, or errOpen.
func (b *breaker) allow() (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if b.state == open && now.Sub(b.openedAt) >= b.openFor {
		b.set(halfOpen)
	}
	switch {
	case b.state == closed:
		return b.generation, nil
	case b.state == halfOpen && b.probesOut < b.probes:
		b.probesOut++
		return b.generation, nil
	}
	return 0, errOpen
}

// done reports how the call of that generation ended.
func (b *breaker) done(generation int, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if generation != b.generation {
		return
	}
	now := b.now()
	switch b.state {
	case closed:
		if ok {
			return
		}
		// Keep only the failures inside the window, then add this one.
		kept := b.failures[:0]
		for _, t := range b.failures {
			if now.Sub(t) < b.window {
				kept = append(kept, t)
			}
		}
		b.failures = append(kept, now)
		if len(b.failures) >= b.threshold {
			b.openedAt = now
			b.set(open)
		}
	case halfOpen:
		b.probesOut--
		if !ok {
			b.openedAt = now
			b.set(open)
			return
		}
		b.probesOK++
		if b.probesOK >= b.probes {
			b.set(closed)
		}
	}
}

// set changes state; the caller holds mu.
func (b *breaker) set(to state) {
	from := b.state
	b.state = to
	b.generation++
	b.probesOut, b.probesOK = 0, 0
	if to == closed {
		b.failures = nil
	}
	if b.onChange != nil {
		b.onChange(from, to)
	}
}

// call dials the upstream, sends a line and reads the reply, all under one deadline.
func call(addr string, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(timeout))
	if _, err := fmt.Fprint(conn, "call\n"); err != nil {
		return err
	}
	reply, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if reply != "ok\n" {
		return fmt.Errorf("upstream said %q", reply)
	}
	return nil
}

// flakyUpstream answers "ok" except while stalled, when it reads and never answers.
func flakyUpstream(stalled *atomic.Bool) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				r := bufio.NewReader(c)
				for {
					if _, err := r.ReadString('\n'); err != nil {
						return
					}
					if stalled.Load() {
						time.Sleep(time.Minute) // hold the connection, answer nothing
						return
					}
					fmt.Fprint(c, "ok\n")
				}
			}(conn)
		}
	}()
	return ln.Addr().String(), nil
}

type pathStats struct {
	ok, failed, fastFailed, waiting, maxWaiting atomic.Int64
}

func (p *pathStats) start() {
	n := p.waiting.Add(1)
	for {
		m := p.maxWaiting.Load()
		if n <= m || p.maxWaiting.CompareAndSwap(m, n) {
			return
		}
	}
}

func (p *pathStats) end(err error) {
	p.waiting.Add(-1)
	if err != nil {
		p.failed.Add(1)
	} else {
		p.ok.Add(1)
	}
}

func main() {
	var stalled atomic.Bool
	addr, err := flakyUpstream(&stalled)
	if err != nil {
		log.Fatal(err)
	}
	started := time.Now()
	b := &breaker{threshold: 5, window: 2 * time.Second, openFor: time.Second, probes: 2, now: time.Now,
		onChange: func(from, to state) {
			fmt.Printf("%5.2fs breaker %s -> %s\n", time.Since(started).Seconds(), from, to)
		}}
	const timeout = 500 * time.Millisecond
	var direct, viaBreaker pathStats
	var wg sync.WaitGroup
	tick := time.NewTicker(50 * time.Millisecond) // 20 calls a second on each path
	defer tick.Stop()
	for now := range tick.C {
		elapsed := now.Sub(started)
		if elapsed >= 8*time.Second {
			break
		}
		stalled.Store(elapsed >= 2*time.Second && elapsed < 5*time.Second)
		wg.Add(2)
		go func() {
			defer wg.Done()
			direct.start()
			direct.end(call(addr, timeout))
		}()
		go func() {
			defer wg.Done()
			gen, err := b.allow()
			if err != nil {
				viaBreaker.fastFailed.Add(1) // failed fast: no dial, no wait
				return
			}
			viaBreaker.start()
			err = call(addr, timeout)
			b.done(gen, err == nil)
			viaBreaker.end(err)
		}()
	}
	wg.Wait()
	for _, p := range []struct {
		name string
		s    *pathStats
	}{{"direct", &direct}, {"breaker", &viaBreaker}} {
		fmt.Printf("%-8s ok %3d  failed after waiting %3d  failed fast %3d  most waiting at once %3d\n",
			p.name, p.s.ok.Load(), p.s.failed.Load(), p.s.fastFailed.Load(), p.s.maxWaiting.Load())
	}
}
