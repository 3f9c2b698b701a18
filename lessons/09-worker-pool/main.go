// Lesson 9: a TCP server that bounds its concurrency with a pool of K worker goroutines.
//
// Every connection gets a cheap reader goroutine; every request line becomes a job on a buffered channel of
// capacity Q; K workers take jobs from it, do the (simulated) work and write "done <line>". When the queue is
// full the reader waits (back-pressure) or, with -reject, answers "busy <line>" at once.
//
// Run it:     go run main.go -addr 127.0.0.1:9009 -workers 4 -queue 16 -work 20ms
// Compare:    go run main.go -mode semaphore -workers 4     (a buffered channel used as a semaphore)
//
//	go run main.go -mode unbounded                (one goroutine per request, no bound)
//
// Talk to it: nc 127.0.0.1 9009    (one request per line)
// Stop it:    Ctrl-C: it stops accepting, lets the workers finish the queued jobs, and exits.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// job is one request line and where its reply goes.
type job struct {
	conn   net.Conn
	line   string
	readAt time.Time
}

// server holds what every goroutine shares. Counters are atomic: many goroutines update them at once.
type server struct {
	mode    string
	work    time.Duration
	reject  bool
	jobs    chan job      // the queue: buffered, capacity Q (pool mode)
	sem     chan struct{} // semaphore mode: capacity K, one slot per request being worked on
	done    chan struct{} // closed on shutdown: releases readers waiting on a full queue
	readers sync.WaitGroup

	busy      atomic.Int64
	completed atomic.Int64
	rejected  atomic.Int64

	mu        sync.Mutex
	conns     map[net.Conn]struct{}
	latencies []time.Duration
}

func main() {
	addr := flag.String("addr", "127.0.0.1:9009", "address to listen on")
	mode := flag.String("mode", "pool", "pool (K workers and a jobs queue), semaphore (K slots) or unbounded")
	workers := flag.Int("workers", 4, "K: requests worked on at once")
	queue := flag.Int("queue", 16, "Q: jobs waiting for a worker (pool mode)")
	work := flag.Duration("work", 20*time.Millisecond, "simulated work per request (a slow downstream call)")
	reject := flag.Bool("reject", false, `when the queue is full, answer "busy" instead of waiting`)
	flag.Parse()
	if *workers < 1 || *queue < 0 {
		log.Fatal("need -workers >= 1 and -queue >= 0")
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("listen on %s: %v", *addr, err)
	}
	s := &server{
		mode:   *mode,
		work:   *work,
		reject: *reject,
		jobs:   make(chan job, *queue),
		sem:    make(chan struct{}, *workers),
		done:   make(chan struct{}),
		conns:  make(map[net.Conn]struct{}),
	}

	// The pool: exactly K workers, started once. They end when jobs is closed and drained.
	var pool sync.WaitGroup
	if s.mode == "pool" {
		for i := 1; i <= *workers; i++ {
			pool.Add(1) // before `go`, never inside the goroutine: Wait must not run before Add
			go func(id int) {
				defer pool.Done()
				s.worker(id)
			}(i)
		}
	}
	log.Printf("%s server on %s: K=%d Q=%d work=%v reject=%v", s.mode, ln.Addr(), *workers, *queue, *work, *reject)

	stopStats := make(chan struct{})
	go s.printStats(stopStats)

	// Ctrl-C: stop accepting; the accept loop below then returns.
	interrupt := make(chan os.Signal, 1)
	signal.Notify(interrupt, os.Interrupt)
	go func() {
		<-interrupt
		ln.Close()
	}()

	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				break
			}
			log.Printf("accept: %v", err)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		s.track(conn, true)
		s.readers.Add(1)
		go s.serveConn(conn)
	}

	// Graceful shutdown, in order: release readers blocked on a full queue, close the connections so the other
	// readers' Reads return, wait for every reader (nobody can send on jobs any more), then close jobs so the
	// workers' range loops end once the queue is drained.
	close(s.done)
	s.closeConns()
	s.readers.Wait()
	close(s.jobs)
	pool.Wait()
	close(stopStats)
	log.Printf("stopped: %d completed, %d rejected", s.completed.Load(), s.rejected.Load())
}

// serveConn reads request lines and hands each one on. Reading is cheap, so one goroutine per connection is fine:
// the pool bounds the expensive part.
func (s *server) serveConn(conn net.Conn) {
	defer s.readers.Done()
	defer s.track(conn, false)
	defer conn.Close()
	sc := bufio.NewScanner(conn)
	sc.Buffer(make([]byte, 4096), 4096) // a longer line ends the connection: memory stays bounded
	for sc.Scan() {
		j := job{conn: conn, line: sc.Text(), readAt: time.Now()}
		switch s.mode {
		case "unbounded":
			go s.handle(j) // no bound: as many at once as requests arrive
		case "semaphore":
			// Acquire a slot before starting the goroutine; it releases the slot when done.
			select {
			case s.sem <- struct{}{}:
			case <-s.done:
				return
			}
			go func(j job) {
				defer func() { <-s.sem }() // the deferred call needs its (): defer func() { ... }()
				s.handle(j)
			}(j)
		default:
			if s.reject {
				select {
				case s.jobs <- j:
				default: // queue full: say so at once instead of making the client wait
					s.rejected.Add(1)
					fmt.Fprintf(conn, "busy %s\n", j.line)
				}
				continue
			}
			select {
			case s.jobs <- j: // waits while the queue is full: this client is slowed down, not the others
			case <-s.done:
				return
			}
		}
	}
}

// worker takes jobs until the channel is closed and drained.
func (s *server) worker(id int) {
	for j := range s.jobs {
		s.handle(j)
	}
}

// handle does the work and replies. Writes from several goroutines to one net.Conn are safe: each Write is whole.
func (s *server) handle(j job) {
	s.busy.Add(1)
	time.Sleep(s.work) // stands for a database query or a call to another service
	s.busy.Add(-1)
	if _, err := fmt.Fprintf(j.conn, "done %s\n", j.line); err != nil {
		return
	}
	s.completed.Add(1)
	s.mu.Lock()
	s.latencies = append(s.latencies, time.Since(j.readAt))
	s.mu.Unlock()
}

func (s *server) track(conn net.Conn, open bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if open {
		s.conns[conn] = struct{}{}
	} else {
		delete(s.conns, conn)
	}
}

func (s *server) closeConns() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.Close()
	}
}

// printStats prints, every second, what the lab's chart shows: throughput, latency, queue and busy workers.
func (s *server) printStats(stop <-chan struct{}) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var last int64
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		s.mu.Lock()
		lat := s.latencies
		s.latencies = nil
		s.mu.Unlock()
		done := s.completed.Load()
		if done == last && len(lat) == 0 {
			continue
		}
		sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
		log.Printf("%d req/s  p50 %v  p95 %v  queue %d/%d  busy %d  rejected %d",
			done-last, quantile(lat, 0.50), quantile(lat, 0.95), len(s.jobs), cap(s.jobs), s.busy.Load(), s.rejected.Load())
		last = done
	}
}

// quantile returns the q-quantile of sorted durations (nearest rank), 0 when there are none.
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.999999) - 1
	if i < 0 {
		i = 0
	}
	if i >= len(sorted) {
		i = len(sorted) - 1
	}
	return sorted[i].Round(100 * time.Microsecond)
}
