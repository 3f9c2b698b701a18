// 第 23 课：HTTP 就是 TCP 上的字节。一个 net/http 的 hello 服务器，以及一个原始 TCP 客户端，
// 它按字节穿过套接字时的原样打印出来：一条 keep-alive 连接上的两个请求，然后是一个分块响应。
//
// 启动服务器：go run main.go -addr 127.0.0.1:8080
// 访问它：curl -v http://127.0.0.1:8080/hello
// 原始客户端：go run main.go -client -addr 127.0.0.1:8080
// 观察报文段：sudo tcpdump -n -i lo -A 'tcp port 8080'（在另一个终端里）
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
	// 长度已知的正文：处理函数只写一点就返回时，net/http 会自己设置 Content-Length。
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "hello\n")
}

func chunked(w http.ResponseWriter, r *http.Request) {
	// 在结束前 Flush 意味着长度还未知：net/http 改用分块传输编码（chunked），
	// 每次 Flush 的写作为一个分块发出（十六进制大小、CRLF、字节、CRLF）。
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

// readResponse 用 net/http 自己的解析器读完一个响应（原始字节由 recorder 保存）。
func readResponse(rd *bufio.Reader) (*http.Response, error) {
	resp, err := http.ReadResponse(rd, nil)
	if err != nil {
		return nil, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp, err
}

// recorder 复制从连接读到的每个字节，让客户端可以不经解析地打印它们。
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
		// 一条连接，三个请求：只有第一个需要握手。
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
