// Lesson 19: a connection pool over net.Conn, against dialling a new connection for every request.
//
// The pool keeps at most maxOpen connections open (in use + idle); a caller that finds none free waits, up to its
// context's deadline. A connection given back is kept idle for the next caller (at most maxIdle of them, each for at
// most idleTimeout), newest first. Before an idle connection is handed out, a health check asks the kernel whether
// the peer has closed or reset it; a dead one is discarded, not handed out.
//
// Run it: go run main.go
// (it starts its own line server on loopback, which answers "ok" to every line and closes connections idle for
// 300 ms, as real servers do; then 8 callers make requests for 1 s dialling per request, and 1 s through the pool;
// then, after a pause longer than the server's idle timeout, a few requests through the pool with and without the
// health check)
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

var errWaitTimeout = errors.New("pool: no connection came free in time")

type idleConn struct {
	c     net.Conn
	since time.Time
}

// pool is safe for use by many goroutines.
type pool struct {
	dial        func() (net.Conn, error)
	maxIdle     int
	idleTimeout time.Duration
	healthCheck bool

	slots chan struct{} // one token per open connection: at most maxOpen
	freed chan struct{} // a token per connection put back idle, to wake a waiting caller

	mu                                   sync.Mutex
	idle                                 []idleConn // oldest first; Get takes the newest (LIFO)
	dials, reuses, discarded, closedIdle int
}

func newPool(dial func() (net.Conn, error), maxOpen, maxIdle int, idleTimeout time.Duration, healthCheck bool) *pool {
	return &pool{
		dial: dial, maxIdle: maxIdle, idleTimeout: idleTimeout, healthCheck: healthCheck,
		slots: make(chan struct{}, maxOpen),
		freed: make(chan struct{}, maxOpen),
	}
}

// Get returns an idle connection (newest first, after its health check), a new one if fewer than maxOpen are
// open, or waits for one of those until ctx is done.
func (p *pool) Get(ctx context.Context) (c net.Conn, reused bool, err error) {
	for {
		if c := p.takeIdle(); c != nil {
			return c, true, nil
		}
		select {
		case p.slots <- struct{}{}: // fewer than maxOpen open: dial a new one
			c, err := p.dial()
			if err != nil {
				<-p.slots
				return nil, false, err
			}
			p.mu.Lock()
			p.dials++
			p.mu.Unlock()
			return c, false, nil
		case <-p.freed: // a connection went idle: look again
		case <-ctx.Done():
			return nil, false, fmt.Errorf("%w: %v", errWaitTimeout, ctx.Err())
		}
	}
}

func (p *pool) takeIdle() net.Conn {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.idle) > 0 {
		last := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		switch {
		case p.idleTimeout > 0 && time.Since(last.since) >= p.idleTimeout:
			p.closedIdle++
		case p.healthCheck && !alive(last.c):
			p.discarded++
		default:
			p.reuses++
			return last.c
		}
		last.c.Close()
		<-p.slots
	}
	return nil
}

// Put gives a connection back. broken: the request on it failed, so it is closed, never reused.
func (p *pool) Put(c net.Conn, broken bool) {
	p.mu.Lock()
	if broken || len(p.idle) >= p.maxIdle {
		p.mu.Unlock()
		c.Close()
		<-p.slots
		return
	}
	p.idle = append(p.idle, idleConn{c, time.Now()})
	p.mu.Unlock()
	select {
	case p.freed <- struct{}{}:
	default: // enough wake-ups are pending already
	}
}

// alive is the health check: a non-blocking peek at the socket. Nothing to read (EAGAIN) means the connection is
// still open; 0 bytes means the peer sent FIN, an error means it sent RST; bytes nobody asked for mean it is out of
// step. Linux and the BSDs; it asks the kernel directly, without waiting.
func alive(c net.Conn) bool {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return true
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	var n int
	var rerr error
	buf := make([]byte, 1)
	err = raw.Read(func(fd uintptr) bool {
		n, _, rerr = syscall.Recvfrom(int(fd), buf, syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		return true // one look, never wait for readability
	})
	return err == nil && n <= 0 && (rerr == syscall.EAGAIN || rerr == syscall.EWOULDBLOCK)
}

// request sends one line and reads the reply on c, under a deadline.
func request(c net.Conn, r *bufio.Reader) error {
	c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("call\n")); err != nil {
		return err
	}
	line, err := r.ReadString('\n')
	if err != nil {
		return err
	}
	if line != "ok\n" {
		return fmt.Errorf("server said %q", line)
	}
	return nil
}

// serve answers "ok" to every line and closes a connection idle for idleTimeout. accepted counts the
// connections it accepted: the handshakes, as the server sees them.
func serve(ln net.Listener, idleTimeout time.Duration, accepted *int64) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		atomic.AddInt64(accepted, 1)
		go func() {
			defer c.Close()
			r := bufio.NewReader(c)
			for {
				c.SetReadDeadline(time.Now().Add(idleTimeout))
				if _, err := r.ReadString('\n'); err != nil {
					return // the client closed, or it was idle too long
				}
				if _, err := c.Write([]byte("ok\n")); err != nil {
					return
				}
			}
		}()
	}
}

// load runs callers that make requests one after another for d. With p nil each request dials its own connection.
func load(addr string, p *pool, callers int, d time.Duration) (ok, failed int64) {
	var wg sync.WaitGroup
	end := time.Now().Add(d)
	readers := sync.Map{} // one bufio.Reader per connection, kept across requests
	for i := 0; i < callers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				var c net.Conn
				var err error
				if p == nil {
					c, err = net.Dial("tcp", addr)
				} else {
					ctx, cancel := context.WithTimeout(context.Background(), time.Second)
					c, _, err = p.Get(ctx)
					cancel()
				}
				if err != nil {
					atomic.AddInt64(&failed, 1)
					continue
				}
				r, _ := readers.LoadOrStore(c, bufio.NewReader(c))
				err = request(c, r.(*bufio.Reader))
				if err != nil {
					atomic.AddInt64(&failed, 1)
				} else {
					atomic.AddInt64(&ok, 1)
				}
				if p == nil {
					readers.Delete(c)
					c.Close()
				} else {
					if err != nil {
						readers.Delete(c)
					}
					p.Put(c, err != nil)
				}
			}
		}()
	}
	wg.Wait()
	return ok, failed
}

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	var accepted int64
	go serve(ln, 300*time.Millisecond, &accepted)
	addr := ln.Addr().String()
	dial := func() (net.Conn, error) { return net.Dial("tcp", addr) }
	const callers = 8

	ok, failed := load(addr, nil, callers, time.Second)
	fmt.Printf("dial per request: %6d requests/s, %d failed, %6d handshakes seen by the server\n",
		ok, failed, atomic.SwapInt64(&accepted, 0))

	p := newPool(dial, callers, callers, 30*time.Second, true)
	ok, failed = load(addr, p, callers, time.Second)
	fmt.Printf("pool:             %6d requests/s, %d failed, %6d handshakes seen by the server (pool: %d dials, %d reuses)\n",
		ok, failed, atomic.SwapInt64(&accepted, 0), p.dials, p.reuses)

	// The server closes connections idle for 300 ms: after this pause every idle connection of the pool is dead.
	for _, check := range []bool{true, false} {
		p.healthCheck = check
		p.discarded = 0
		time.Sleep(500 * time.Millisecond)
		ok, failed = load(addr, p, callers, 100*time.Millisecond)
		fmt.Printf("after the server's idle timeout, health check %-5v: %d ok, %d failed, %d discarded by the check\n",
			check, ok, failed, p.discarded)
	}
}
