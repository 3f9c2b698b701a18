// Tests of lesson 9's graceful shutdown: jobs already queued when shutdown starts are worked on and answered on
// their still-open connections, and only then are the connections closed.
package main

import (
	"bufio"
	"io"
	"log"
	"net"
	"testing"
	"time"
)

func TestShutdownAnswersQueuedJobsThenCloses(t *testing.T) {
	log.SetOutput(io.Discard)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &server{
		mode:  "pool",
		work:  30 * time.Millisecond,
		jobs:  make(chan job, 4),
		sem:   make(chan struct{}, 1),
		done:  make(chan struct{}),
		conns: make(map[net.Conn]struct{}),
	}
	s.startWorkers(1)
	served := make(chan struct{})
	go func() {
		s.serve(ln)
		close(served)
	}()

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("a\nb\nc\nd\n")); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(conn)
	if line, err := r.ReadString('\n'); err != nil || line != "done a\n" {
		t.Fatalf("first reply: %q, %v", line, err)
	}
	// The one worker has answered a; wait until b, c and d all sit in the queue (a condition, not a time).
	for len(s.jobs) < 3 && s.completed.Load() == 1 {
		time.Sleep(time.Millisecond)
	}

	ln.Close()
	<-served
	stopped := make(chan struct{})
	go func() {
		s.shutdown()
		close(stopped)
	}()

	for _, want := range []string{"done b\n", "done c\n", "done d\n"} {
		line, err := r.ReadString('\n')
		if err != nil || line != want {
			t.Fatalf("after shutdown began: got %q, %v; want %q (a queued job lost its reply)", line, err, want)
		}
	}
	if extra, err := r.ReadString('\n'); err != io.EOF {
		t.Fatalf("after the queued replies: got %q, %v; want the server to close the connection (EOF)", extra, err)
	}
	<-stopped
	if n := s.completed.Load(); n != 4 {
		t.Fatalf("completed %d jobs, want 4", n)
	}
}

// A line sent after shutdown began is not read: the reader stopped reading, so only queued work is finished.
func TestShutdownStopsReadingNewLines(t *testing.T) {
	log.SetOutput(io.Discard)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &server{mode: "pool", jobs: make(chan job, 4), sem: make(chan struct{}, 1), done: make(chan struct{}), conns: make(map[net.Conn]struct{})}
	s.startWorkers(1)
	served := make(chan struct{})
	go func() {
		s.serve(ln)
		close(served)
	}()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Wait until the server tracks the connection, so shutdown finds its reader.
	for {
		s.mu.Lock()
		n := len(s.conns)
		s.mu.Unlock()
		if n == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	ln.Close()
	<-served
	s.shutdown()
	conn.Write([]byte("late\n"))
	if line, err := bufio.NewReader(conn).ReadString('\n'); err == nil {
		t.Fatalf("got %q after shutdown; want the connection closed with no reply", line)
	}
	if n := s.completed.Load(); n != 0 {
		t.Fatalf("completed %d jobs, want 0", n)
	}
}
