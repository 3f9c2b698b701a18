// Lesson 1: a TCP echo server, one goroutine per connection.
//
// Run it:    go run main.go -addr 127.0.0.1:9000
// Talk to it: nc 127.0.0.1 9000
package main

import (
	"errors"
	"flag"
	"io"
	"log"
	"net"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9000", "address to listen on")
	flag.Parse()

	// Listen never silently fails: a port in use is an error worth reading.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("listen on %s: %v", *addr, err)
	}
	defer ln.Close()
	log.Printf("echo server listening on %s", ln.Addr())

	var delay time.Duration // how long to wait after a failed Accept; back to 0 after a success
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// A temporary error, such as EMFILE ("too many open files": every file descriptor is in use),
			// should not end the server. Wait and retry, longer each time (5 ms doubling up to 1 s), as net/http's
			// Server.Serve does, so the loop does not spin while it waits for connections to close.
			var ne net.Error
			if errors.As(err, &ne) && ne.Temporary() {
				if delay == 0 {
					delay = 5 * time.Millisecond
				} else {
					delay *= 2
				}
				if delay > time.Second {
					delay = time.Second
				}
				log.Printf("accept: %v; retrying in %v", err, delay)
				time.Sleep(delay)
				continue
			}
			log.Fatalf("accept: %v", err)
		}
		delay = 0
		// One goroutine per connection: the accept loop goes straight back to Accept.
		go handleConn(conn)
	}
}

// handleConn writes back every byte it reads until the client closes its side.
func handleConn(conn net.Conn) {
	defer conn.Close()
	peer := conn.RemoteAddr()
	log.Printf("%s connected", peer)

	buf := make([]byte, 32*1024)
	var total int64
	for {
		n, err := conn.Read(buf)
		if n > 0 {
			// Write returns only when all n bytes are handed to the kernel (or an error).
			if _, werr := conn.Write(buf[:n]); werr != nil {
				log.Printf("%s write: %v", peer, werr)
				return
			}
			total += int64(n)
		}
		if err == io.EOF {
			log.Printf("%s closed after %d bytes", peer, total)
			return
		}
		if err != nil {
			log.Printf("%s read: %v", peer, err)
			return
		}
	}
}
