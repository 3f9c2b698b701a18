// Command goInterop writes and reads frames with Go's encoding/binary and bufio, so the lab's framing tests can
// check its codecs against bytes that Go produced and against Go's own decoding.
//
//	goInterop encode u32be|u16be|uvarint|lines   writes the test messages, framed, to stdout
//	goInterop decode u32be|u16be|uvarint|lines   reads frames from stdin to EOF, prints each payload as hex
package main

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"os"
)

// The same messages the TypeScript test builds: byte j of message i is (i*31 + j*7) mod 256.
func messages(mode string) [][]byte {
	lengths := []int{0, 1, 5, 127, 128, 300, 65535, 70000}
	if mode == "u16be" {
		lengths = lengths[:len(lengths)-1] // a 2-byte header stops at 65535
	}
	out := make([][]byte, len(lengths))
	for i, n := range lengths {
		m := make([]byte, n)
		for j := range m {
			m[j] = byte(i*31 + j*7)
		}
		out[i] = m
	}
	return out
}

// Text lines for the delimiter mode: no '\n' inside, which is the delimiter's restriction.
func lines() []string {
	return []string{"hello", "", "你好, 世界", "a\tb c", "last line"}
}

func encode(mode string, w *bufio.Writer) error {
	if mode == "lines" {
		for _, l := range lines() {
			if _, err := w.WriteString(l + "\n"); err != nil {
				return err
			}
		}
		return nil
	}
	for _, m := range messages(mode) {
		var header []byte
		switch mode {
		case "u32be":
			header = make([]byte, 4)
			binary.BigEndian.PutUint32(header, uint32(len(m)))
		case "u16be":
			header = make([]byte, 2)
			binary.BigEndian.PutUint16(header, uint16(len(m)))
		case "uvarint":
			header = make([]byte, binary.MaxVarintLen64)
			header = header[:binary.PutUvarint(header, uint64(len(m)))]
		default:
			return fmt.Errorf("unknown mode %q", mode)
		}
		if _, err := w.Write(header); err != nil {
			return err
		}
		if _, err := w.Write(m); err != nil {
			return err
		}
	}
	return nil
}

func decode(mode string, r *bufio.Reader, w *bufio.Writer) error {
	if mode == "lines" {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			fmt.Fprintln(w, hex.EncodeToString(sc.Bytes()))
		}
		return sc.Err()
	}
	for {
		var n uint64
		switch mode {
		case "u32be", "u16be":
			size := 4
			if mode == "u16be" {
				size = 2
			}
			header := make([]byte, size)
			if _, err := io.ReadFull(r, header); err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
			if size == 4 {
				n = uint64(binary.BigEndian.Uint32(header))
			} else {
				n = uint64(binary.BigEndian.Uint16(header))
			}
		case "uvarint":
			v, err := binary.ReadUvarint(r)
			if err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
			n = v
		default:
			return fmt.Errorf("unknown mode %q", mode)
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(r, body); err != nil {
			return fmt.Errorf("frame of %d bytes: %w", n, err)
		}
		fmt.Fprintln(w, hex.EncodeToString(body))
	}
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: goInterop encode|decode u32be|u16be|uvarint|lines")
		os.Exit(2)
	}
	w := bufio.NewWriter(os.Stdout)
	var err error
	if os.Args[1] == "encode" {
		err = encode(os.Args[2], w)
	} else {
		err = decode(os.Args[2], bufio.NewReader(os.Stdin), w)
	}
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
