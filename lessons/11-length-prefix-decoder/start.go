// Exercise 11 in Go: a server that receives length-prefixed frames and answers one line per frame.
//
// Each frame is a 4-byte big-endian length, then that many bytes of payload. TCP delivers a stream of bytes, not
// frames: one Read may return half a header, a frame and a half, or twenty frames at once. Make readFrame return
// exactly one whole frame, whatever the split; serve and main are complete, leave them as they are.
//
// Run it:  go run start.go -addr 127.0.0.1:7450
// Check it (the lab is the peer):  npm run lab -- go check lessons/11-length-prefix-decoder/start.go
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
// io.ErrUnexpectedEOF when it ends inside one (a truncated frame). A length above maxFrame is an error at once.
func readFrame(r io.Reader) ([]byte, error) {
	// TODO: this trusts one Read to return exactly one whole frame. TCP makes no such promise.
	buf := make([]byte, 4+maxFrame)
	n, err := r.Read(buf)
	if err != nil {
		return nil, err
	}
	if n < 4 {
		return nil, nil // wrong: these bytes are lost
	}
	end := 4 + int(binary.BigEndian.Uint32(buf))
	if end > n {
		end = n // wrong: part of a frame is returned as if it were whole
	}
	return buf[4:end], nil // wrong: any bytes after end (the next frames) are lost
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
