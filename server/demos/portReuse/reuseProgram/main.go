// The port-reuse demo's helper, run by the lab (server/demos/portReuse): listeners with SO_REUSEADDR cleared or
// set and with SO_REUSEPORT, each step printed as one JSON line on stdout. Linux only (the socket options are
// set through syscall on the listener's descriptor before bind).
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
)

// soReusePort is SO_REUSEPORT on Linux (amd64, arm64, 386, arm, riscv64...): Go 1.19's syscall package does not
// name it (golang.org/x/sys/unix does, as unix.SO_REUSEPORT), and the lab builds offline with the standard library.
const soReusePort = 0xf

var out = json.NewEncoder(os.Stdout)
var outMu sync.Mutex

// say prints one JSON line; lines from several goroutines never interleave.
func say(v map[string]interface{}) {
	outMu.Lock()
	defer outMu.Unlock()
	_ = out.Encode(v)
}

// listenConfig sets SO_REUSEADDR to reuseAddr (Go sets it to 1 on every listener before Control runs) and, when
// asked, SO_REUSEPORT to 1.
func listenConfig(reuseAddr, reusePort bool) net.ListenConfig {
	return net.ListenConfig{Control: func(network, address string, c syscall.RawConn) error {
		var opErr error
		err := c.Control(func(fd uintptr) {
			v := 0
			if reuseAddr {
				v = 1
			}
			opErr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_REUSEADDR, v)
			if opErr == nil && reusePort {
				opErr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, soReusePort, 1)
			}
		})
		if err != nil {
			return err
		}
		return opErr
	}}
}

func listen(host string, port int, reuseAddr, reusePort bool) (net.Listener, error) {
	lc := listenConfig(reuseAddr, reusePort)
	return lc.Listen(nil, "tcp", net.JoinHostPort(host, strconv.Itoa(port)))
}

// failure describes a failed listen: the error as Go prints it and the errno's name.
func failure(err error) map[string]interface{} {
	name := ""
	var errno syscall.Errno
	if errors.As(err, &errno) {
		switch errno {
		case syscall.EADDRINUSE:
			name = "EADDRINUSE"
		case syscall.EACCES:
			name = "EACCES"
		case syscall.EADDRNOTAVAIL:
			name = "EADDRNOTAVAIL"
		default:
			name = fmt.Sprintf("errno %d", int(errno))
		}
	}
	return map[string]interface{}{"ok": false, "error": err.Error(), "errno": name}
}

func main() {
	mode := flag.String("mode", "", "serve | listen | twice | group")
	host := flag.String("host", "127.0.0.1", "address to listen on")
	port := flag.Int("port", 0, "port (0: the kernel picks one)")
	reuseAddr := flag.Bool("reuseaddr", true, "SO_REUSEADDR on the listener")
	reusePort := flag.Bool("reuseport", false, "SO_REUSEPORT on the listener")
	id := flag.Int("id", 0, "this listener's number in a group")
	hold := flag.Bool("hold", false, "group: do not accept until told to")
	flag.Parse()
	switch *mode {
	case "serve":
		serveOnce(*host, *port, *reuseAddr)
	case "listen":
		ln, err := listen(*host, *port, *reuseAddr, *reusePort)
		if err != nil {
			r := failure(err)
			r["event"] = "listen"
			say(r)
			return
		}
		say(map[string]interface{}{"event": "listen", "ok": true, "addr": ln.Addr().String()})
		ln.Close()
	case "twice":
		first, err := listen(*host, *port, *reuseAddr, *reusePort)
		if err != nil {
			r := failure(err)
			r["event"] = "first"
			say(r)
			return
		}
		say(map[string]interface{}{"event": "first", "ok": true, "addr": first.Addr().String()})
		p := first.Addr().(*net.TCPAddr).Port
		second, err := listen(*host, p, *reuseAddr, *reusePort)
		if err != nil {
			r := failure(err)
			r["event"] = "second"
			say(r)
		} else {
			say(map[string]interface{}{"event": "second", "ok": true, "addr": second.Addr().String()})
			second.Close()
		}
		first.Close()
	case "group":
		group(*host, *port, *id, *hold)
	default:
		fmt.Fprintln(os.Stderr, "usage: -mode serve|listen|twice|group")
		os.Exit(2)
	}
}

// serveOnce listens, serves one connection and closes it first, so that end of the connection waits in TIME_WAIT.
func serveOnce(host string, port int, reuseAddr bool) {
	ln, err := listen(host, port, reuseAddr, false)
	if err != nil {
		r := failure(err)
		r["event"] = "listen"
		say(r)
		return
	}
	say(map[string]interface{}{"event": "listen", "ok": true, "addr": ln.Addr().String()})
	conn, err := ln.Accept()
	if err != nil {
		say(map[string]interface{}{"event": "accept", "ok": false, "error": err.Error()})
		return
	}
	_, _ = conn.Write([]byte("bye\n"))
	local, remote := conn.LocalAddr().String(), conn.RemoteAddr().String()
	conn.Close() // the server closes first: its end of this connection goes to TIME_WAIT
	ln.Close()
	say(map[string]interface{}{"event": "served", "local": local, "remote": remote})
}

// group is one of several listeners sharing a port with SO_REUSEPORT. Each connection it accepts gets a line
// naming this listener; the client closes. A line "accept" on stdin starts accepting (after -hold), "close" (or
// the end of stdin) closes the listener.
func group(host string, port, id int, hold bool) {
	ln, err := listen(host, port, true, true)
	if err != nil {
		r := failure(err)
		r["event"] = "listen"
		r["id"] = id
		say(r)
		return
	}
	say(map[string]interface{}{"event": "listen", "ok": true, "addr": ln.Addr().String(), "id": id})
	var accepted int64
	start := make(chan struct{})
	go func() {
		<-start
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			atomic.AddInt64(&accepted, 1)
			go func(c net.Conn) {
				defer c.Close()
				_, _ = fmt.Fprintf(c, "L%d\n", id)
				_, _ = io.Copy(io.Discard, c)
			}(conn)
		}
	}()
	if !hold {
		close(start)
	}
	lines := bufio.NewScanner(os.Stdin)
	for lines.Scan() {
		if lines.Text() == "accept" && hold {
			hold = false
			close(start)
		}
		if lines.Text() == "close" {
			break
		}
	}
	ln.Close()
	say(map[string]interface{}{"event": "closed", "id": id, "accepted": atomic.LoadInt64(&accepted)})
}
