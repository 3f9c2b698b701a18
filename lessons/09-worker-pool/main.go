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
// Stop it:    Ctrl-C. It stops accepting and reading, lets the workers finish the queued jobs and send
// their replies, then closes the connections and exits (a second Ctrl-C exits at once).
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
	conn    net.Conn
	line    string
	readAt  time.Time
	pending *sync.WaitGroup // the connection's jobs not yet answered: it is closed only after they are
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
	pool    sync.WaitGroup // the K workers

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

	s.startWorkers(*workers)
	log.Printf("%s server on %s: K=%d Q=%d work=%v reject=%v", s.mode, ln.Addr(), *workers, *queue, *work, *reject)

	stopStats := make(chan struct{})
	go s.printStats(stopStats)

	// Ctrl-C: stop accepting; the accept loop in serve then returns. A second Ctrl-C does not wait for the drain.
	interrupt := make(chan os.Signal, 1)
	signal.Notify(interrupt, os.Interrupt)
	go func() {
		<-interrupt
		ln.Close()
		<-interrupt
		os.Exit(1)
	}()

	s.serve(ln)
	s.shutdown()
	close(stopStats)
	log.Printf("stopped: %d completed, %d rejected", s.completed.Load(), s.rejected.Load())
}

// startWorkers starts the pool: exactly K workers, started once. They end when jobs is closed and drained.
func (s *server) startWorkers(k int) {
	if s.mode != "pool" {
		return
	}
	for i := 1; i <= k; i++ {
		s.pool.Add(1) // before `go`, never inside the goroutine: Wait must not run before Add
		go func(id int) {
			defer s.pool.Done()
			s.worker(id)
		}(i)
	}
}

// serve accepts connections until the listener is closed.
func (s *server) serve(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			log.Printf("accept: %v", err)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		s.track(conn, true)
		s.readers.Add(1)
		go s.serveConn(conn)
	}
}

// shutdown drains, then closes, in this order: release readers blocked on a full queue (their line was never
// queued), stop every reader's Read with a deadline in the past (the connection stays open), wait for every
// reader, each of which first waits until the workers have answered its queued jobs and then closes its
// connection; only then close jobs (nobody can send on it any more), so the workers' range loops end.
func (s *server) shutdown() {
	close(s.done)
	s.stopReading()
	s.readers.Wait()
	close(s.jobs)
	s.pool.Wait()
}

// serveConn reads request lines and hands each one on. Reading is cheap, so one goroutine per connection is fine:
// the pool bounds the expensive part.
func (s *server) serveConn(conn net.Conn) {
	defer s.readers.Done()
	defer s.track(conn, false)
	var pending sync.WaitGroup
	defer conn.Close()
	defer pending.Wait() // runs before Close: the replies to this connection's queued jobs go out first
	sc := bufio.NewScanner(conn)
	sc.Buffer(make([]byte, 4096), 4096) // a longer line ends the connection: memory stays bounded
	for sc.Scan() {
		j := job{conn: conn, line: sc.Text(), readAt: time.Now(), pending: &pending}
		pending.Add(1) // this job will be answered (or dropped, below, with Done)
		switch s.mode {
		case "unbounded":
			go s.handle(j) // no bound: as many at once as requests arrive
		case "semaphore":
			// Acquire a slot before starting the goroutine; it releases the slot when done.
			select {
			case s.sem <- struct{}{}:
			case <-s.done:
				pending.Done()
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
					pending.Done()
					s.rejected.Add(1)
					fmt.Fprintf(conn, "busy %s\n", j.line)
				}
				continue
			}
			select {
			case s.jobs <- j: // waits while the queue is full: this client is slowed down, not the others
			case <-s.done:
				pending.Done()
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
	defer j.pending.Done()
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

// stopReading makes every reader's blocked Read return at once, without closing the connection: the replies
// to its queued jobs still have to go out on it.
func (s *server) stopReading() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.SetReadDeadline(time.Now())
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
