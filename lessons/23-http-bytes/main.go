// Lesson 23: HTTP is bytes on TCP. A net/http hello server, and a raw TCP client that prints the bytes exactly as
// they cross the socket: two requests on one keep-alive connection, then a chunked response.
//
// Serve:              go run main.go -addr 127.0.0.1:8080
// Talk to it:         curl -v http://127.0.0.1:8080/hello
// Raw client:         go run main.go -client -addr 127.0.0.1:8080
// Watch the segments: sudo tcpdump -n -i lo -A 'tcp port 8080' (in another terminal)
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"time"
)

func hello(w http.ResponseWriter, r *http.Request) {
	// A body of known length: net/http sets Content-Length itself when the handler writes little and returns.
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "hello\n")
}

func chunked(w http.ResponseWriter, r *http.Request) {
	// Flushing before the end means the length is not known yet: net/http switches to Transfer-Encoding: chunked,
	// and each flushed write goes out as one chunk (its size in hex, CRLF, the bytes, CRLF).
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	flusher, ok := w.(http.Flusher)
	for i := 1; i <= 3; i++ {
		fmt.Fprintf(w, "part %d of 3\n", i)
		if ok {
			flusher.Flush()
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func serve(addr string) {
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", hello)
	mux.HandleFunc("/chunked", chunked)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 3 * time.Second}
	log.Printf("listening on http://%s/hello", addr)
	log.Fatal(srv.ListenAndServe())
}

// readResponse reads one whole response with net/http's own parser (the raw bytes are kept by the recorder).
func readResponse(rd *bufio.Reader) (*http.Response, error) {
	resp, err := http.ReadResponse(rd, nil)
	if err != nil {
		return nil, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp, err
}

// recorder copies every byte read from the connection, so the client can print them unparsed.
type recorder struct {
	net.Conn
	seen *strings.Builder
}

func (r recorder) Read(p []byte) (int, error) {
	n, err := r.Conn.Read(p)
	r.seen.Write(p[:n])
	return n, err
}

func client(addr string) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	var raw strings.Builder
	rd := bufio.NewReader(recorder{Conn: conn, seen: &raw})
	paths := []string{"/hello", "/hello", "/chunked"}
	for i, path := range paths {
		// One connection, three requests: only the first pays for a handshake.
		req := fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", path, addr)
		fmt.Printf("--- request %d (%d bytes) ---\n%q\n", i+1, len(req), req)
		if _, err := io.WriteString(conn, req); err != nil {
			log.Fatal(err)
		}
		raw.Reset()
		resp, err := readResponse(rd)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("--- response %d: %s, %d bytes on the wire ---\n%q\n", i+1, resp.Status, raw.Len(), raw.String())
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on, or to dial with -client")
	asClient := flag.Bool("client", false, "send raw requests instead of serving")
	flag.Parse()
	if *asClient {
		client(*addr)
		return
	}
	serve(*addr)
}
