// Lesson 2: TCP is a byte stream. One program, two goroutines: a sender writes small messages, a receiver
// reads with conn.Read and prints what each Read returned. The messages carry no boundaries of their own.
//
// Run it:
//
//	go run main.go                      # Go's default: TCP_NODELAY on, a receiver that reads at once
//	go run main.go -pause 50ms          # the receiver sleeps after each Read: messages pile up, then stick
//	go run main.go -size 100000 -buf 4096 -n 2   # one message is bigger than the read buffer: it is split
//	go run main.go -nagle               # turn Nagle's algorithm on (SetNoDelay(false))
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"time"
)

func main() {
	n := flag.Int("n", 20, "messages to send")
	size := flag.Int("size", 16, "bytes per message")
	nagle := flag.Bool("nagle", false, "turn Nagle's algorithm on (Go turns it off by default)")
	pause := flag.Duration("pause", 0, "how long the receiver sleeps after each Read")
	bufSize := flag.Int("buf", 4096, "the receiver's read buffer")
	flag.Parse()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatalf("listen: %v", err)
	}
	defer ln.Close()

	done := make(chan error, 1)
	go func() { done <- send(ln.Addr().String(), *n, *size, *nagle) }()

	conn, err := ln.Accept()
	if err != nil {
		log.Fatalf("accept: %v", err)
	}
	defer conn.Close()
	reads, total := receive(conn, *bufSize, *pause, *size)
	if err := <-done; err != nil {
		log.Fatalf("send: %v", err)
	}
	fmt.Printf("%d writes of %d bytes arrived in %d reads (%d bytes)\n", *n, *size, reads, total)
}

// send dials the receiver and writes n messages back to back, each with its own Write call.
func send(addr string, n, size int, nagle bool) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	if nagle {
		// Go sets TCP_NODELAY on every TCP connection; this undoes it.
		if err := conn.(*net.TCPConn).SetNoDelay(false); err != nil {
			return err
		}
	}
	for i := 0; i < n; i++ {
		if _, err := conn.Write(message(i, size)); err != nil {
			return err
		}
	}
	return nil // the deferred Close sends FIN: the receiver's Read returns io.EOF after the last byte
}

// message i is "m<i>." repeated to size bytes, so a Read shows which messages it holds.
func message(i, size int) []byte {
	unit := fmt.Sprintf("m%d.", i)
	return []byte(strings.Repeat(unit, size/len(unit)+1)[:size])
}

// receive prints every Read until EOF and returns how many reads there were and the bytes they held.
func receive(conn net.Conn, bufSize int, pause time.Duration, size int) (reads, total int) {
	buf := make([]byte, bufSize)
	for {
		n, err := conn.Read(buf)
		// io.Reader allows data and an error in one call (a TCPConn does not do it): use the n bytes first.
		if n > 0 {
			reads++
			fmt.Printf("read %3d: %5d bytes at offset %6d (messages %d..%d)  %.40q\n",
				reads, n, total, total/size, (total+n-1)/size, buf[:n])
			total += n
		}
		if errors.Is(err, io.EOF) {
			return reads, total
		}
		if err != nil {
			log.Fatalf("read: %v", err)
		}
		time.Sleep(pause)
	}
}
