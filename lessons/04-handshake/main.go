// Lesson 4: open and close TCP connections on loopback in every way the lesson shows, and look at the
// kernel's socket table afterwards.
//
// Run one scenario:  go run main.go -scenario half-close
// Run all of them:   go run main.go
// Watch the packets: sudo tcpdump -n -i lo 'tcp port 9400 or tcp port 9401'   (in another terminal)
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

var scenarios = []string{"client-closes", "server-closes", "refused", "half-close", "close-wait", "time-wait"}

func main() {
	which := flag.String("scenario", "all", "one of: "+strings.Join(scenarios, ", ")+", or all")
	port := flag.Int("port", 9400, "port of the demo server; the next port is the one nobody listens on")
	pause := flag.Duration("pause", 150*time.Millisecond, "pause between steps, so the states can be seen")
	flag.Parse()

	run := scenarios
	if *which != "all" {
		run = []string{*which}
	}
	for _, name := range run {
		fmt.Printf("\n=== %s ===\n", name)
		if err := runScenario(name, *port, *pause); err != nil {
			log.Fatalf("%s: %v", name, err)
		}
	}
}

func runScenario(name string, port int, pause time.Duration) error {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	switch name {
	case "refused":
		// Nobody listens on the next port: the kernel answers the SYN with RST, and Dial reports it at once.
		closed := net.JoinHostPort("127.0.0.1", strconv.Itoa(port+1))
		_, err := net.Dial("tcp", closed)
		fmt.Printf("dial %s: %v\n", closed, err)
		if err == nil {
			return errors.New("something is listening on the closed port")
		}
		return nil
	case "client-closes":
		return withServer(addr, echoUntilEOF, func() error { return clientClosesFirst(addr, "hello\n", pause) }, port, pause)
	case "time-wait":
		// Each connection the client closes first leaves one socket in TIME_WAIT on the client's side.
		return withServer(addr, echoUntilEOF, func() error {
			for i := 1; i <= 3; i++ {
				if err := clientClosesFirst(addr, fmt.Sprintf("request %d\n", i), pause); err != nil {
					return err
				}
			}
			return nil
		}, port, pause)
	case "server-closes":
		return withServer(addr, sayByeAndClose, func() error {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				return err
			}
			defer conn.Close()
			// ReadAll returns at EOF: the server's FIN. Until we Close, our side sits in CLOSE_WAIT.
			data, err := io.ReadAll(conn)
			fmt.Printf("client read %q, then EOF (err=%v)\n", data, err)
			time.Sleep(pause)
			return nil
		}, port, pause)
	case "half-close":
		return withServer(addr, replyAfterEOF, func() error {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				return err
			}
			defer conn.Close()
			if _, err := conn.Write([]byte("request\n")); err != nil {
				return err
			}
			// CloseWrite sends our FIN ("no more requests") but keeps the connection open for reading.
			if err := conn.(*net.TCPConn).CloseWrite(); err != nil {
				return err
			}
			reply, err := io.ReadAll(conn)
			fmt.Printf("client read the reply after its own FIN: %q (err=%v)\n", reply, err)
			return nil
		}, port, pause)
	case "close-wait":
		var leaked []net.Conn
		var mu sync.Mutex
		buggy := func(conn net.Conn) {
			// THE BUG: the handler returns at EOF without conn.Close(). The kernel has the client's FIN and
			// waits for ours forever: the socket stays in CLOSE_WAIT, holding a file descriptor.
			io.Copy(io.Discard, conn)
			mu.Lock()
			leaked = append(leaked, conn)
			mu.Unlock()
		}
		err := withServer(addr, buggy, func() error {
			for i := 0; i < 5; i++ {
				conn, err := net.Dial("tcp", addr)
				if err != nil {
					return err
				}
				conn.Write([]byte("hello\n"))
				conn.Close()
			}
			time.Sleep(pause)
			printStates(port, "with the bug")
			// THE FIX: close what the handler forgot (in real code: defer conn.Close() in the handler).
			mu.Lock()
			for _, c := range leaked {
				c.Close()
			}
			mu.Unlock()
			time.Sleep(pause)
			return nil
		}, -1, pause)
		printStates(port, "after Close()")
		return err
	}
	return fmt.Errorf("unknown scenario %q", name)
}

// withServer listens on addr, serves each connection with handle, runs the client and prints the socket states.
func withServer(addr string, handle func(net.Conn), client func() error, port int, pause time.Duration) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	var wg sync.WaitGroup
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return // the listener was closed
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				handle(conn)
			}()
		}
	}()
	if err := client(); err != nil {
		return err
	}
	wg.Wait()
	time.Sleep(pause)
	if port > 0 {
		printStates(port, "afterwards")
	}
	return nil
}

// echoUntilEOF is the polite server: it echoes, and closes its side when the client has closed its own.
func echoUntilEOF(conn net.Conn) {
	defer conn.Close()
	io.Copy(conn, conn)
}

// sayByeAndClose closes first: this side will wait out TIME_WAIT.
func sayByeAndClose(conn net.Conn) {
	defer conn.Close()
	conn.Write([]byte("bye\n"))
}

// replyAfterEOF reads the whole request (until the client's FIN), then answers in three writes and closes.
func replyAfterEOF(conn net.Conn) {
	defer conn.Close()
	io.Copy(io.Discard, conn)
	for i := 1; i <= 3; i++ {
		fmt.Fprintf(conn, "part %d of the reply\n", i)
	}
}

func clientClosesFirst(addr, message string, pause time.Duration) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	if _, err := conn.Write([]byte(message)); err != nil {
		conn.Close()
		return err
	}
	echo := make([]byte, len(message))
	if _, err := io.ReadFull(conn, echo); err != nil {
		conn.Close()
		return err
	}
	time.Sleep(pause)
	return conn.Close() // our FIN goes first: this side ends in TIME_WAIT
}

// The state column of /proc/net/tcp, as include/net/tcp_states.h numbers them.
var linuxStates = map[string]string{
	"01": "ESTABLISHED", "02": "SYN_SENT", "03": "SYN_RECV", "04": "FIN_WAIT1", "05": "FIN_WAIT2",
	"06": "TIME_WAIT", "07": "CLOSE", "08": "CLOSE_WAIT", "09": "LAST_ACK", "0A": "LISTEN", "0B": "CLOSING",
}

// printStates lists the kernel's TCP sockets that have `port` at either end (Linux; elsewhere use netstat -an).
func printStates(port int, when string) {
	f, err := os.Open("/proc/net/tcp")
	if err != nil {
		fmt.Printf("(no /proc/net/tcp here: run  netstat -an -p tcp | grep %d)\n", port)
		return
	}
	defer f.Close()
	hexPort := fmt.Sprintf(":%04X", port)
	fmt.Printf("sockets on port %d %s:\n", port, when)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || fields[0] == "sl" {
			continue
		}
		local, remote, state := fields[1], fields[2], fields[3]
		if !strings.HasSuffix(local, hexPort) && !strings.HasSuffix(remote, hexPort) {
			continue
		}
		// fields[5] is "timer:remaining"; timer 3 is TIME_WAIT's (remaining in 1/100 s).
		timer := ""
		if t := strings.SplitN(fields[5], ":", 2); len(t) == 2 && t[0] == "03" {
			if left, err := strconv.ParseInt(t[1], 16, 64); err == nil {
				timer = fmt.Sprintf("  (%.1f s left)", float64(left)/100)
			}
		}
		fmt.Printf("  %-21s -> %-21s %s%s\n", procAddr(local), procAddr(remote), linuxStates[state], timer)
	}
}

// procAddr turns 0100007F:1F90 into 127.0.0.1:8080 (the address is printed in the host's byte order; x86 and arm64 are little-endian).
func procAddr(s string) string {
	parts := strings.SplitN(s, ":", 2)
	if len(parts) != 2 || len(parts[0]) != 8 {
		return s
	}
	ip, err1 := strconv.ParseUint(parts[0], 16, 32)
	port, err2 := strconv.ParseUint(parts[1], 16, 16)
	if err1 != nil || err2 != nil {
		return s
	}
	return fmt.Sprintf("%d.%d.%d.%d:%d", ip&0xff, ip>>8&0xff, ip>>16&0xff, ip>>24, port)
}
