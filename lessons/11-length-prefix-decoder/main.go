// Exercise 11, in Go: the same naive decoder as start.ts, which assumes every Read is one whole frame.
// It shows the bug against the lab's echo server; the lesson explains the fix (io.ReadFull, or a streaming decoder).
//
// Run it:  go run main.go -addr 127.0.0.1:7401
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"time"
)

// maxFrame is the largest payload accepted; a larger length means a broken or hostile peer.
const maxFrame = 64 * 1024

// frameDecoder is the naive version: it trusts each chunk to be exactly one frame.
type frameDecoder struct{}

// push returns the frames a chunk completes. TODO: keep partial frames between calls, loop over several frames,
// and refuse a length above maxFrame before waiting for it.
func (d *frameDecoder) push(chunk []byte) ([][]byte, error) {
	if len(chunk) < 4 {
		return nil, nil // wrong: these bytes are lost
	}
	n := binary.BigEndian.Uint32(chunk)
	if n > maxFrame {
		return nil, fmt.Errorf("frame of %d bytes exceeds the maximum of %d", n, maxFrame)
	}
	end := 4 + int(n)
	if end > len(chunk) {
		end = len(chunk) // wrong: half a frame is returned as if it were whole
	}
	return [][]byte{chunk[4:end]}, nil
}

func encodeFrame(payload string) []byte {
	frame := make([]byte, 4+len(payload))
	binary.BigEndian.PutUint32(frame, uint32(len(payload)))
	copy(frame[4:], payload)
	return frame
}

func main() {
	addr := flag.String("addr", "127.0.0.1:7401", "address of an echo server")
	flag.Parse()

	conn, err := net.Dial("tcp", *addr)
	if err != nil {
		log.Fatalf("dial %s: %v", *addr, err)
	}
	defer conn.Close()

	messages := []string{"hello", "sticky", "packets"}
	var all []byte
	for _, m := range messages {
		all = append(all, encodeFrame(m)...)
	}
	if _, err := conn.Write(all); err != nil {
		log.Fatalf("write: %v", err)
	}
	fmt.Printf("wrote %d frames in one write (%d bytes)\n", len(messages), len(all))

	var dec frameDecoder
	buf := make([]byte, 4096)
	decoded := 0
	if err := conn.SetReadDeadline(time.Now().Add(2 * time.Second)); err != nil {
		log.Fatalf("deadline: %v", err)
	}
	for decoded < len(messages) {
		n, err := conn.Read(buf)
		if n > 0 {
			fmt.Printf("read %d bytes\n", n)
			frames, derr := dec.push(buf[:n])
			if derr != nil {
				log.Fatalf("decode: %v", derr)
			}
			for _, f := range frames {
				decoded++
				fmt.Printf("  frame %d: %q\n", decoded, f)
			}
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			fmt.Println("read: i/o timeout")
			break
		}
		if err != nil {
			fmt.Println("read:", err)
			break
		}
	}
	fmt.Printf("decoded %d of %d frames\n", decoded, len(messages))
}
