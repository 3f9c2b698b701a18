// Tests of lesson 3's framings: a clean end between frames is io.EOF, and a frame cut off anywhere (in its
// header, right after it, or in its body) is io.ErrUnexpectedEOF, never io.EOF, so handle does not take it for a
// clean close.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"log"
	"net"
	"strings"
	"testing"
)

func readerOf(b []byte) *bufio.Reader { return bufio.NewReader(bytes.NewReader(b)) }

func TestLengthPrefixCutOffFrames(t *testing.T) {
	cases := []struct {
		name  string
		input []byte
	}{
		{"header only, then EOF", []byte{0, 0, 0, 10}},
		{"half a body, then EOF", []byte{0, 0, 0, 10, 'h', 'e', 'l'}},
		{"half a header, then EOF", []byte{0, 0}},
	}
	for _, c := range cases {
		_, err := lengthPrefix{}.read(readerOf(c.input))
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("%s: got %v, want io.ErrUnexpectedEOF", c.name, err)
		}
		if errors.Is(err, io.EOF) {
			t.Errorf("%s: %v counts as io.EOF, so handle would take it for a clean close", c.name, err)
		}
	}
}

func TestLengthPrefixCleanEndAndRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	for _, m := range []string{"hello", "", "sticky"} {
		if err := (lengthPrefix{}).write(&buf, []byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	r := readerOf(buf.Bytes())
	for _, want := range []string{"hello", "", "sticky"} {
		got, err := lengthPrefix{}.read(r)
		if err != nil || string(got) != want {
			t.Fatalf("got %q, %v; want %q", got, err, want)
		}
	}
	if _, err := (lengthPrefix{}).read(r); err != io.EOF {
		t.Fatalf("at the end between frames: got %v, want io.EOF", err)
	}
}

func TestLengthPrefixRefusesAHugeHeader(t *testing.T) {
	_, err := lengthPrefix{}.read(readerOf([]byte{0xff, 0xff, 0xff, 0xff}))
	if !errors.Is(err, errFrameTooLarge) {
		t.Fatalf("got %v, want errFrameTooLarge", err)
	}
}

func TestDelimiterAndFixedCutOff(t *testing.T) {
	if _, err := (delimiter{}).read(readerOf([]byte("no newline"))); err != io.ErrUnexpectedEOF {
		t.Errorf("delimiter: got %v, want io.ErrUnexpectedEOF", err)
	}
	if _, err := (delimiter{}).read(readerOf(nil)); err != io.EOF {
		t.Errorf("delimiter at a clean end: got %v, want io.EOF", err)
	}
	if _, err := (fixed{size: 16}).read(readerOf([]byte("short"))); err != io.ErrUnexpectedEOF {
		t.Errorf("fixed: got %v, want io.ErrUnexpectedEOF", err)
	}
}

// handle over a real loopback connection: a frame cut off after its header is logged as a bad frame, not taken
// for the client closing between frames.
func TestHandleReportsACutOffFrame(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var logged bytes.Buffer
	log.SetOutput(&logged)
	defer log.SetOutput(io.Discard)
	done := make(chan struct{})
	go func() {
		defer close(done)
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		handle(conn, lengthPrefix{})
	}()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Write([]byte{0, 0, 0, 10}); err != nil {
		t.Fatal(err)
	}
	conn.(*net.TCPConn).CloseWrite()
	<-done
	conn.Close()
	if !strings.Contains(logged.String(), "frame of 10 bytes cut off: unexpected EOF") {
		t.Fatalf("handle logged %q, want the cut-off frame reported", logged.String())
	}
}
