// Lesson 16: a TCP request server that shuts down gracefully on SIGINT or SIGTERM — stop accepting, close idle
// connections, let requests in flight finish (each busy connection's last answer says "close"), and give up on
// what is left at a deadline — and counts what a hard stop would have lost.
//
// Run it:   go run main.go
// It starts its own load (10 clients, each sending "REQ <id>" and the next as soon as it has "OK <id>"), and after
// 1.1 s sends itself SIGTERM, as a service manager would. Compare:
//
//	go run main.go -hard           (exit at once on the signal: the requests in flight are lost)
//	go run main.go -grace 50ms     (a deadline shorter than the work: what is still running is cut)
//	go run main.go -load=false -addr 127.0.0.1:9016   (no load; talk to it with nc, stop it with Ctrl-C)
//
// For HTTP, net/http does the same in http.Server.Shutdown(ctx); the HTTP lesson uses it.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

type server struct {
	ln       net.Listener
	work     time.Duration
	mu       sync.Mutex
	busy     map[net.Conn]bool // every open connection: is a request being worked on?
	draining bool
	wg       sync.WaitGroup
	read     atomic.Int64 // requests started
	answered atomic.Int64
	lost     atomic.Int64 // started, never answered
}

func (s *server) serve() {
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return // the listener was closed: shutting down
		}
		s.mu.Lock()
		if s.draining {
			s.mu.Unlock()
			conn.Close()
			continue
		}
		s.busy[conn] = false
		s.wg.Add(1)
		s.mu.Unlock()
		go s.handle(conn)
	}
}

// start marks conn busy, unless the server is draining: then the request is not started at all.
func (s *server) start(conn net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.draining {
		return false
	}
	s.busy[conn] = true
	return true
}

// finish marks conn idle again and says whether this answer must be its last.
func (s *server) finish(conn net.Conn) (last bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.busy[conn] = false
	return s.draining
}

func (s *server) handle(conn net.Conn) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		delete(s.busy, conn)
		s.mu.Unlock()
		conn.Close()
	}()
	r := bufio.NewReader(conn)
	for {
		line, err := r.ReadString('\n')
		if err != nil || !s.start(conn) {
			return
		}
		s.read.Add(1)
		id := strings.TrimPrefix(strings.TrimSpace(line), "REQ ")
		time.Sleep(s.work) // the request's work
		reply := "OK " + id
		last := s.finish(conn)
		if last {
			reply += " close" // like HTTP's "Connection: close": the client sends nothing more here
		}
		if _, err := fmt.Fprintln(conn, reply); err != nil {
			s.lost.Add(1) // the connection was closed under it (the deadline passed)
			return
		}
		s.answered.Add(1)
		if last {
			return
		}
	}
}

// shutdown stops accepting, closes idle connections, waits for busy ones to answer and close, and at ctx's
// deadline closes whatever is left.
func (s *server) shutdown(ctx context.Context) error {
	s.ln.Close()
	s.mu.Lock()
	s.draining = true
	for conn, busy := range s.busy {
		if !busy {
			conn.Close() // idle: its reader is waiting for a request that must not come
		}
	}
	s.mu.Unlock()

	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		s.mu.Lock()
		for conn := range s.busy {
			conn.Close()
		}
		s.mu.Unlock()
		<-done
		return ctx.Err()
	}
}

// clientCounts is what the load generator saw.
type clientCounts struct{ sent, answered, unanswered atomic.Int64 }

// load runs n clients until the server stops them: each sends a request and the next one when it has the answer.
func load(addr string, n int, c *clientCounts) *sync.WaitGroup {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(client int) {
			defer wg.Done()
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				return
			}
			defer conn.Close()
			r := bufio.NewReader(conn)
			for seq := 0; ; seq++ {
				if _, err := fmt.Fprintf(conn, "REQ %d-%d\n", client, seq); err != nil {
					return
				}
				c.sent.Add(1)
				line, err := r.ReadString('\n')
				if err != nil {
					c.unanswered.Add(1)
					return
				}
				c.answered.Add(1)
				if strings.HasSuffix(line, " close\n") {
					return
				}
			}
		}(i)
	}
	return &wg
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	work := flag.Duration("work", 200*time.Millisecond, "work per request")
	grace := flag.Duration("grace", 2*time.Second, "how long a graceful shutdown may wait for requests in flight")
	hard := flag.Bool("hard", false, "exit at once on SIGINT/SIGTERM")
	withLoad := flag.Bool("load", true, "run 10 clients and send SIGTERM to this program after 1.1 s")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	s := &server{ln: ln, work: *work, busy: map[net.Conn]bool{}}
	go s.serve()
	fmt.Printf("listening on %s (work %v per request)\n", ln.Addr(), *work)

	// The signals a terminal (Ctrl-C: SIGINT) and a service manager (systemd, Kubernetes: SIGTERM) send.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var clients clientCounts
	var clientsDone *sync.WaitGroup
	if *withLoad {
		clientsDone = load(ln.Addr().String(), 10, &clients)
		// Mid-request on purpose: 1.1 s is five and a half requests of 200 ms.
		time.AfterFunc(1100*time.Millisecond, func() { syscall.Kill(os.Getpid(), syscall.SIGTERM) })
	}

	<-ctx.Done()
	started := time.Now()
	if *hard {
		// What os.Exit does to a server: the kernel closes every socket; work in flight is gone.
		s.mu.Lock()
		inFlight := 0
		for _, busy := range s.busy {
			if busy {
				inFlight++
			}
		}
		s.mu.Unlock()
		fmt.Printf("signal: exiting now; %d requests in flight are lost (answered %d of %d)\n",
			inFlight, s.answered.Load(), s.read.Load())
		os.Exit(1)
	}
	fmt.Println("signal: shutting down gracefully")
	graceCtx, cancel := context.WithTimeout(context.Background(), *grace)
	defer cancel()
	err = s.shutdown(graceCtx)
	if errors.Is(err, context.DeadlineExceeded) {
		fmt.Printf("deadline of %v passed: closed the connections still busy\n", *grace)
	}
	fmt.Printf("server: read %d, answered %d, lost in flight %d; shutdown took %v\n",
		s.read.Load(), s.answered.Load(), s.lost.Load(), time.Since(started).Round(time.Millisecond))
	if clientsDone != nil {
		clientsDone.Wait()
		fmt.Printf("clients: sent %d, answered %d, unanswered %d\n",
			clients.sent.Load(), clients.answered.Load(), clients.unanswered.Load())
	}
}
