// Lesson 3: three ways to mark where a message ends on a TCP byte stream, as a client of the lab's framing
// servers (or as a server of its own with -serve).
//
//	go run main.go -mode length-prefix -addr 127.0.0.1:7485     # 4-byte big-endian length, then the payload
//	go run main.go -mode delimiter -addr 127.0.0.1:7484 a b c   # one line per message
//	go run main.go -mode fixed -addr 127.0.0.1:7483             # 16-byte records, padded with zero bytes
//	go run main.go -mode length-prefix -serve 127.0.0.1:9000    # a length-prefix echo server
//
// The client writes all its messages with ONE Write, so they arrive stuck together, and reads the echoes back
// one frame at a time.
package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
)

// maxFrame bounds a length-prefixed frame: a bad or hostile header must not make us allocate 4 GiB.
const maxFrame = 1 << 20

// maxLine bounds a delimited line, for the same reason.
const maxLine = 4096

var errFrameTooLarge = errors.New("frame too large")

// A framing writes one message to w and reads one back from r.
type framing interface {
	write(w io.Writer, msg []byte) error
	read(r *bufio.Reader) ([]byte, error)
}

// lengthPrefix: the header is binary.BigEndian.PutUint32(len) — the bytes of Python's struct.pack('!I', n).
type lengthPrefix struct{}

func (lengthPrefix) write(w io.Writer, msg []byte) error {
	if len(msg) > maxFrame {
		return errFrameTooLarge
	}
	frame := make([]byte, 4+len(msg))
	binary.BigEndian.PutUint32(frame, uint32(len(msg)))
	copy(frame[4:], msg)
	_, err := w.Write(frame) // one Write: header and payload go to the kernel together
	return err
}

func (lengthPrefix) read(r *bufio.Reader) ([]byte, error) {
	var header [4]byte
	// io.ReadFull, not r.Read: a single Read may return only part of the header.
	if _, err := io.ReadFull(r, header[:]); err != nil {
		return nil, err // io.EOF between frames is a clean end; io.ErrUnexpectedEOF is a cut-off header
	}
	n := binary.BigEndian.Uint32(header[:])
	if n > maxFrame {
		return nil, fmt.Errorf("%w: header says %d bytes", errFrameTooLarge, n) // checked before make()
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(r, payload); err != nil {
		if errors.Is(err, io.EOF) {
			// No byte of the body came: still a cut-off frame, not a clean end, so not io.EOF.
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("frame of %d bytes cut off: %w", n, err)
	}
	return payload, nil
}

// delimiter: each message ends with '\n', so a message must not contain '\n' (no escaping here).
type delimiter struct{}

func (delimiter) write(w io.Writer, msg []byte) error {
	if bytes.IndexByte(msg, '\n') >= 0 {
		return errors.New("message contains the delimiter")
	}
	_, err := w.Write(append(append([]byte{}, msg...), '\n'))
	return err
}

func (delimiter) read(r *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		// ReadSlice returns bufio.ErrBufferFull when no '\n' is within the buffer: keep it bounded ourselves.
		part, err := r.ReadSlice('\n')
		line = append(line, part...)
		if len(line) > maxLine+1 {
			return nil, fmt.Errorf("line longer than %d bytes", maxLine)
		}
		if err == nil {
			return bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r")), nil
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			if errors.Is(err, io.EOF) && len(line) > 0 {
				return nil, io.ErrUnexpectedEOF // a last line with no '\n' was cut off
			}
			return nil, err
		}
	}
}

// fixed: every record is size bytes; shorter messages are padded with zero bytes.
type fixed struct{ size int }

func (f fixed) write(w io.Writer, msg []byte) error {
	if len(msg) > f.size {
		return fmt.Errorf("message of %d bytes does not fit a %d-byte record", len(msg), f.size)
	}
	record := make([]byte, f.size) // the zero bytes after msg are the padding
	copy(record, msg)
	_, err := w.Write(record)
	return err
}

func (f fixed) read(r *bufio.Reader) ([]byte, error) {
	record := make([]byte, f.size)
	if _, err := io.ReadFull(r, record); err != nil {
		return nil, err
	}
	// Stripping the padding loses a message that itself ends in zero bytes: know your messages.
	return bytes.TrimRight(record, "\x00"), nil
}

func main() {
	mode := flag.String("mode", "length-prefix", "length-prefix, delimiter or fixed")
	addr := flag.String("addr", "127.0.0.1:7485", "the framing server to talk to")
	serve := flag.String("serve", "", "run an echo server on this address instead of a client")
	size := flag.Int("size", 16, "record size for -mode fixed")
	flag.Parse()

	var f framing
	switch *mode {
	case "length-prefix":
		f = lengthPrefix{}
	case "delimiter":
		f = delimiter{}
	case "fixed":
		f = fixed{size: *size}
	default:
		log.Fatalf("unknown -mode %q", *mode)
	}
	if *serve != "" {
		runServer(*serve, f)
		return
	}
	messages := flag.Args()
	if len(messages) == 0 {
		messages = []string{"hello", "sticky", "packets"}
	}
	if err := runClient(*addr, f, messages); err != nil {
		log.Fatal(err)
	}
}

func runClient(addr string, f framing, messages []string) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	// Frame every message into one buffer and send it with one Write: the server gets them stuck together.
	var out bytes.Buffer
	for _, m := range messages {
		if err := f.write(&out, []byte(m)); err != nil {
			return fmt.Errorf("framing %q: %w", m, err)
		}
	}
	if _, err := conn.Write(out.Bytes()); err != nil {
		return err
	}
	fmt.Printf("sent %d messages as %d bytes in one write\n", len(messages), out.Len())
	r := bufio.NewReader(conn)
	for i := range messages {
		msg, err := f.read(r)
		if err != nil {
			return fmt.Errorf("reading echo %d: %w", i, err)
		}
		fmt.Printf("echo %d: %q\n", i, msg)
	}
	return nil
}

func runServer(addr string, f framing) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		log.Fatalf("listen on %s: %v", addr, err)
	}
	log.Printf("framing echo server on %s", ln.Addr())
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			log.Printf("accept: %v", err)
			continue
		}
		go handle(conn, f)
	}
}

// handle reads frames until the client closes and writes each one back, framed the same way.
func handle(conn net.Conn, f framing) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	w := bufio.NewWriter(conn)
	for {
		msg, err := f.read(r)
		if errors.Is(err, io.EOF) {
			return // the client closed between frames
		}
		if err != nil {
			log.Printf("%s: %v; closing", conn.RemoteAddr(), err) // bad frame: the stream cannot be resynchronised
			return
		}
		if err := f.write(w, msg); err != nil {
			return
		}
		// Flush when no more input is waiting, so frames that arrived together go back in one write.
		if r.Buffered() == 0 {
			if err := w.Flush(); err != nil {
				return
			}
		}
	}
}
