// Tests of lesson 17's token bucket and server: a burst passes and the rest is refused, tokens come back at the
// rate, and a refused request gets an error line at once.
package main

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"
)

func TestBucketBurstThenRate(t *testing.T) {
	b := newTokenBucket(10, 3)
	now := b.last
	for i := 0; i < 3; i++ {
		if !b.allow(now) {
			t.Fatalf("request %d of the burst refused", i)
		}
	}
	if b.allow(now) {
		t.Fatal("a fourth request passed an empty bucket")
	}
	if got := b.retryAfter(now); got != 100*time.Millisecond {
		t.Fatalf("retryAfter = %v, want 100ms at 10 tokens/s", got)
	}
	if !b.allow(now.Add(100 * time.Millisecond)) {
		t.Fatal("no token after 100ms at 10/s")
	}
	if lvl := b.level(now.Add(time.Hour)); lvl != 3 {
		t.Fatalf("level after an hour = %v, want the burst, 3", lvl)
	}
}

func TestServerRefusesWithALine(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	s := &server{global: newTokenBucket(1000, 1000), clientRate: 0.001, clientBurst: 2}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(conn)
		}
	}()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprint(conn, "a\nb\nc\n")
	r := bufio.NewReader(conn)
	var got []string
	for i := 0; i < 3; i++ {
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("reply %d: %v (a refused request must get a line, not silence)", i, err)
		}
		got = append(got, strings.TrimSpace(line))
	}
	if got[0] != "ok a" || got[1] != "ok b" || !strings.HasPrefix(got[2], "ERR rate limited (client bucket)") {
		t.Fatalf("replies = %q", got)
	}
}
