// Lesson 26: UDP on loopback. One program shows the four things the lesson is about:
//  1. datagrams keep their boundaries (three writes, three reads);
//  2. a read buffer smaller than the datagram silently truncates it (Linux: n = len(buf), err = nil);
//  3. one datagram carries at most 65,507 bytes over IPv4;
//  4. loss is the application's problem: sequence numbers, a read deadline and retries.
//
// Run it: go run main.go
package main

import (
	"errors"
	"fmt"
	"log"
	"net"
	"strconv"
	"strings"
	"time"
)

func main() {
	// An unconnected socket: it takes datagrams from anyone and answers with WriteTo.
	server, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer server.Close()
	fmt.Println("echo server on", server.LocalAddr())

	boundaries(server)
	truncation(server)
	sizeLimit(server)
	retries(server)
}

// boundaries: three writes arrive as three datagrams, each read returns exactly one.
func boundaries(server net.PacketConn) {
	client := dial(server)
	defer client.Close()
	for _, m := range []string{"one", "two-two", "three-three-three"} {
		if _, err := client.Write([]byte(m)); err != nil {
			log.Fatal(err)
		}
	}
	buf := make([]byte, 65535)
	for i := 0; i < 3; i++ {
		n, from, err := server.ReadFrom(buf)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("read %d: %d bytes %q from %v\n", i+1, n, buf[:n], from)
	}
}

// truncation: a 100-byte datagram read into a 16-byte buffer. On Linux Go returns n = 16 and err = nil:
// the other 84 bytes are gone, and nothing says so.
func truncation(server net.PacketConn) {
	client := dial(server)
	defer client.Close()
	if _, err := client.Write([]byte(strings.Repeat("x", 100))); err != nil {
		log.Fatal(err)
	}
	small := make([]byte, 16)
	n, _, err := server.ReadFrom(small)
	fmt.Printf("sent 100 bytes, read into 16: n=%d err=%v\n", n, err)
}

// sizeLimit: 65,535 (IPv4 total length) - 20 (IP header) - 8 (UDP header) = 65,507 bytes.
func sizeLimit(server net.PacketConn) {
	client := dial(server)
	defer client.Close()
	for _, size := range []int{65507, 65508} {
		_, err := client.Write(make([]byte, size))
		fmt.Printf("write %d bytes: err=%v\n", size, err)
		if err == nil {
			buf := make([]byte, 65535)
			n, _, _ := server.ReadFrom(buf)
			fmt.Printf("  the server read %d bytes\n", n)
		}
	}
}

// retries: the server below drops the first copy of every odd request on purpose (loss, as a network would).
// The client numbers its requests, waits 200 ms for the matching reply, and sends again, at most three times.
func retries(server net.PacketConn) {
	go lossyEcho(server)
	client := dial(server)
	defer client.Close()
	buf := make([]byte, 1500)
	for seq := 1; seq <= 4; seq++ {
		request := fmt.Sprintf("%d:hello", seq)
		for attempt := 1; ; attempt++ {
			if _, err := client.Write([]byte(request)); err != nil {
				log.Fatal(err)
			}
			if err := client.SetReadDeadline(time.Now().Add(200 * time.Millisecond)); err != nil {
				log.Fatal(err)
			}
			n, err := client.Read(buf)
			var timeout net.Error
			if errors.As(err, &timeout) && timeout.Timeout() {
				fmt.Printf("request %d attempt %d: no reply in 200 ms\n", seq, attempt)
				if attempt == 3 {
					fmt.Printf("request %d: giving up\n", seq)
					break
				}
				continue
			}
			if err != nil {
				log.Fatal(err)
			}
			// A late reply to an earlier request may arrive now: the sequence number tells them apart.
			if reply := string(buf[:n]); strings.HasPrefix(reply, strconv.Itoa(seq)+":") {
				fmt.Printf("request %d attempt %d: reply %q\n", seq, attempt, reply)
				break
			}
		}
	}
}

// lossyEcho answers every request except the first copy of each odd-numbered one.
func lossyEcho(server net.PacketConn) {
	seen := map[string]bool{}
	buf := make([]byte, 1500)
	for {
		n, from, err := server.ReadFrom(buf)
		if err != nil {
			return
		}
		request := string(buf[:n])
		seq, _ := strconv.Atoi(strings.SplitN(request, ":", 2)[0])
		if seq%2 == 1 && !seen[request] {
			seen[request] = true
			continue // dropped on purpose
		}
		if _, err := server.WriteTo(buf[:n], from); err != nil {
			return
		}
	}
}

// dial makes a connected UDP socket: no handshake is sent, the kernel only records the peer.
func dial(server net.PacketConn) *net.UDPConn {
	conn, err := net.DialUDP("udp", nil, server.LocalAddr().(*net.UDPAddr))
	if err != nil {
		log.Fatal(err)
	}
	return conn
}
