// Exercise 22 in Go: a client that calls its upstream through a circuit breaker.
//
// breaker.call(fn) runs fn (one call to the upstream) and returns its error, for now always, even when the
// upstream has failed many times in a row. Make it a circuit breaker:
//
//	closed:    calls go through; `threshold` failures in a row open it (a success resets the count);
//	open:      calls return errOpen at once, without running fn (so without dialing), until openFor has passed;
//	half-open: one call at a time goes through as a probe (others get errOpen); its success closes the breaker,
//	           its failure opens it again for another openFor.
//
// main and callUpstream are complete; change the breaker only.
//
// Run it:  go run start.go -addr 127.0.0.1:7454 -calls 80 -every 40ms -threshold 3 -open 500ms
// Check it with the lab as the peer (the lab is the upstream, fails for a while, and counts your connections):
// npm run lab -- go check lessons/22-failing-fast/start.go
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
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

// breaker guards calls to one upstream; several goroutines may call it at once.
type breaker struct {
	mu        sync.Mutex
	threshold int           // failures in a row that open it
	openFor   time.Duration // how long it stays open before a probe
	state     state
	failures  int       // failures in a row while closed
	openedAt  time.Time // when it last opened
	probing   bool      // a half-open probe is out
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
	addr := flag.String("addr", "127.0.0.1:7454", "address of the upstream")
	calls := flag.Int("calls", 80, "calls to make")
	every := flag.Duration("every", 40*time.Millisecond, "time between two calls")
	threshold := flag.Int("threshold", 3, "failures in a row that open the breaker")
	openFor := flag.Duration("open", 500*time.Millisecond, "how long the breaker stays open before a probe")
	timeout := flag.Duration("timeout", 300*time.Millisecond, "deadline of one call")
	flag.Parse()
	b := &breaker{threshold: *threshold, openFor: *openFor}
	for i := 1; i <= *calls; i++ {
		err := b.call(func() error { return callUpstream(*addr, *timeout) })
		switch {
		case err == nil:
			fmt.Printf("call %d: ok\n", i)
		case errors.Is(err, errOpen):
			fmt.Printf("call %d: open\n", i)
		default:
			fmt.Printf("call %d: failed: %v\n", i, err)
		}
		time.Sleep(*every)
	}
}
