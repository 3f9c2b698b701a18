// Exercise 11 in Go, solved: a server that receives length-prefixed frames and answers one line per frame.
//
// Each frame is a 4-byte big-endian length, then that many bytes of payload. readFrame reads exactly one frame,
// however TCP cut the stream: io.ReadFull loops over Read until it has the bytes it asked for.
//
// Run it:  go run solution.go -addr 127.0.0.1:7450
// The lab checks it as its peer: npm run lab -- go check lessons/11-length-prefix-decoder/solution.go
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
)

// maxFrame is the largest payload accepted; a larger length means a broken or hostile peer.
const maxFrame = 64 * 1024

// readFrame reads one whole frame from r. It returns io.EOF when the stream ends cleanly between two frames, and
// io.ErrUnexpectedEOF when it ends inside one (a truncated frame).
func readFrame(r io.Reader) ([]byte, error) {
	var header [4]byte
	// ReadFull returns io.EOF only if no byte at all came: a clean end between frames.
	if _, err := io.ReadFull(r, header[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(header[:])
	// Refuse before allocating or waiting: the length comes from the peer.
	if n > maxFrame {
		return nil, fmt.Errorf("frame of %d bytes exceeds the maximum of %d", n, maxFrame)
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(r, payload); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF // the header promised bytes that never came
		}
		return nil, err
	}
	return payload, nil
}

// serve answers "frame <length> <payload in hex>" for each frame, then "end" when the peer finishes cleanly or
// "error <what>" when the stream breaks, and closes the connection.
func serve(conn net.Conn) {
	defer conn.Close()
	for {
		frame, err := readFrame(conn)
		if errors.Is(err, io.EOF) {
			fmt.Fprintln(conn, "end")
			return
		}
		if err != nil {
			fmt.Fprintln(conn, "error", err)
			return
		}
		if _, err := fmt.Fprintf(conn, "frame %d %x\n", len(frame), frame); err != nil {
			return
		}
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:7450", "address to listen on")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("listening on", ln.Addr())
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Fatal(err)
		}
		go serve(conn)
	}
}
