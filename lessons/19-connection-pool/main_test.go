// Tests of lesson 19's pool over real loopback connections: it never opens more than maxOpen and a caller waits
// until its deadline; a connection given back is reused; the health check tells an open connection from one the
// peer closed (FIN) or reset (RST), and the pool discards a dead idle one instead of handing it out.
package main

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"
)

// listener accepts connections and hands the server's side of each to the test.
func listener(t *testing.T) (string, chan net.Conn) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	accepted := make(chan net.Conn, 16)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	return ln.Addr().String(), accepted
}

// dead waits (up to 2 s, for a busy machine) until the health check says c is dead, and says whether it did.
func dead(c net.Conn) bool {
	for end := time.Now().Add(2 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		if !alive(c) {
			return true
		}
	}
	return false
}

func TestPoolBoundsReusesAndWaits(t *testing.T) {
	addr, _ := listener(t)
	p := newPool(func() (net.Conn, error) { return net.Dial("tcp", addr) }, 1, 1, time.Minute, true)
	c, reused, err := p.Get(context.Background())
	if err != nil || reused {
		t.Fatalf("first Get: reused %v, err %v; want a new connection", reused, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, _, err := p.Get(ctx); !errors.Is(err, errWaitTimeout) {
		t.Fatalf("Get with maxOpen 1 in use = %v, want errWaitTimeout", err)
	}
	p.Put(c, false)
	c2, reused, err := p.Get(context.Background())
	if err != nil || !reused || c2 != c {
		t.Fatalf("Get after Put: same %v, reused %v, err %v; want the same connection again", c2 == c, reused, err)
	}
	if p.dials != 1 || p.reuses != 1 {
		t.Fatalf("dials %d, reuses %d; want 1 and 1", p.dials, p.reuses)
	}
}

func TestHealthCheckSeesFinAndRst(t *testing.T) {
	addr, accepted := listener(t)
	dial := func() net.Conn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	open, finned, reset := dial(), dial(), dial()
	<-accepted // open's server side stays open
	(<-accepted).Close()
	server := <-accepted
	server.(*net.TCPConn).SetLinger(0) // close with an RST
	server.Close()
	if !dead(finned) {
		t.Error("alive(connection the peer closed) stayed true")
	}
	if !dead(reset) {
		t.Error("alive(connection the peer reset) stayed true")
	}
	if !alive(open) {
		t.Error("alive(open connection) = false")
	}
}

func TestPoolDiscardsDeadIdleConnection(t *testing.T) {
	addr, accepted := listener(t)
	p := newPool(func() (net.Conn, error) { return net.Dial("tcp", addr) }, 2, 2, time.Minute, true)
	c, _, err := p.Get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p.Put(c, false)
	(<-accepted).Close() // the server closes it while it is idle
	if !dead(c) {
		t.Fatal("the health check never saw the server's FIN")
	}
	c2, reused, err := p.Get(context.Background())
	if err != nil || reused || c2 == c {
		t.Fatalf("Get after the peer closed the idle one: reused %v, err %v; want a new connection", reused, err)
	}
	if p.discarded != 1 || p.dials != 2 {
		t.Fatalf("discarded %d, dials %d; want 1 and 2", p.discarded, p.dials)
	}
}
