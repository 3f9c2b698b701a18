// 第 16 课：一个 TCP 请求服务器，收到 SIGINT 或 SIGTERM 时优雅关闭——停止接受连接，关闭空闲连接，
// 让进行中的请求做完（每条忙碌连接的最后一个回答会带上“close”），到截止时间就放弃剩下的——
// 并统计强制停止会丢掉什么。
//
// 运行：go run main.go
// 它自带负载（10 个客户端，每个发送“REQ <id>”，一收到“OK <id>”就发下一个），并在 1.1 秒后
// 像服务管理器那样给自己发送 SIGTERM。对比：
//
//	go run main.go -hard           （收到信号立即退出：进行中的请求丢失）
//	go run main.go -grace 50ms     （截止时间比工作时长短：仍在运行的请求被切断）
//	go run main.go -load=false -addr 127.0.0.1:9016   （不带负载；用 nc 和它对话，用 Ctrl-C 停止）
//
// 对 HTTP，net/http 在 http.Server.Shutdown(ctx) 中做同样的事；HTTP 那一课会用到它。
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

type server struct {
	ln       net.Listener
	work     time.Duration
	mu       sync.Mutex
	busy     map[net.Conn]bool // 每条打开的连接：是否有请求正在处理？
	draining bool
	wg       sync.WaitGroup
	read     atomic.Int64 // 已开始的请求
	answered atomic.Int64
	lost     atomic.Int64 // 已开始但从未回答
}

func (s *server) serve() {
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return // 监听器已关闭：正在关闭
		}
		s.mu.Lock()
		if s.draining {
			s.mu.Unlock()
			conn.Close()
			continue
		}
		s.busy[conn] = false
		s.wg.Add(1)
		s.mu.Unlock()
		go s.handle(conn)
	}
}

// start 把 conn 标记为忙碌，除非服务器正在排空：那样请求根本不会开始。
func (s *server) start(conn net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.draining {
		return false
	}
	s.busy[conn] = true
	return true
}

// finish 把 conn 重新标记为空闲，并说明这个回答是否必须是它的最后一个。
func (s *server) finish(conn net.Conn) (last bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.busy[conn] = false
	return s.draining
}

func (s *server) handle(conn net.Conn) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		delete(s.busy, conn)
		s.mu.Unlock()
		conn.Close()
	}()
	r := bufio.NewReader(conn)
	for {
		line, err := r.ReadString('\n')
		if err != nil || !s.start(conn) {
			return
		}
		s.read.Add(1)
		id := strings.TrimPrefix(strings.TrimSpace(line), "REQ ")
		time.Sleep(s.work) // 请求的工作
		reply := "OK " + id
		last := s.finish(conn)
		if last {
			reply += " close" // 就像 HTTP 的 `Connection: close`：客户端不会再在这里发送
		}
		if _, err := fmt.Fprintln(conn, reply); err != nil {
			s.lost.Add(1) // 连接在它处理时被关闭了（已过截止时间）
			return
		}
		s.answered.Add(1)
		if last {
			return
		}
	}
}

// shutdown 停止接受连接，关闭空闲连接，等待忙碌的连接回答并关闭，到 ctx 的截止时间
// 就关闭剩下的一切。
func (s *server) shutdown(ctx context.Context) error {
	s.ln.Close()
	s.mu.Lock()
	s.draining = true
	for conn, busy := range s.busy {
		if !busy {
			conn.Close() // 空闲：它的读取 goroutine 在等一个不该再来的请求
		}
	}
	s.mu.Unlock()

	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		s.mu.Lock()
		for conn := range s.busy {
			conn.Close()
		}
		s.mu.Unlock()
		<-done
		return ctx.Err()
	}
}

// clientCounts 是负载生成器看到的情况。
type clientCounts struct{ sent, answered, unanswered atomic.Int64 }

// load 运行 n 个客户端，直到服务器让它们停下：每个发送一个请求，收到回答后再发下一个。
func load(addr string, n int, c *clientCounts) *sync.WaitGroup {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(client int) {
			defer wg.Done()
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				return
			}
			defer conn.Close()
			r := bufio.NewReader(conn)
			for seq := 0; ; seq++ {
				if _, err := fmt.Fprintf(conn, "REQ %d-%d\n", client, seq); err != nil {
					return
				}
				c.sent.Add(1)
				line, err := r.ReadString('\n')
				if err != nil {
					c.unanswered.Add(1)
					return
				}
				c.answered.Add(1)
				if strings.HasSuffix(line, " close\n") {
					return
				}
			}
		}(i)
	}
	return &wg
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	work := flag.Duration("work", 200*time.Millisecond, "work per request")
	grace := flag.Duration("grace", 2*time.Second, "how long a graceful shutdown may wait for requests in flight")
	hard := flag.Bool("hard", false, "exit at once on SIGINT/SIGTERM")
	withLoad := flag.Bool("load", true, "run 10 clients and send SIGTERM to this program after 1.1 s")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	s := &server{ln: ln, work: *work, busy: map[net.Conn]bool{}}
	go s.serve()
	fmt.Printf("listening on %s (work %v per request)\n", ln.Addr(), *work)

	// 终端（Ctrl-C：SIGINT）和服务管理器（systemd、Kubernetes：SIGTERM）发送的信号。
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var clients clientCounts
	var clientsDone *sync.WaitGroup
	if *withLoad {
		clientsDone = load(ln.Addr().String(), 10, &clients)
		// 故意选在请求中途：1.1 秒是五个半 200 毫秒的请求。
		time.AfterFunc(1100*time.Millisecond, func() { syscall.Kill(os.Getpid(), syscall.SIGTERM) })
	}

	<-ctx.Done()
	started := time.Now()
	if *hard {
		// os.Exit 对服务器做的事：内核关闭所有套接字；进行中的工作就没了。
		s.mu.Lock()
		inFlight := 0
		for _, busy := range s.busy {
			if busy {
				inFlight++
			}
		}
		s.mu.Unlock()
		fmt.Printf("signal: exiting now; %d requests in flight are lost (answered %d of %d)\n",
			inFlight, s.answered.Load(), s.read.Load())
		os.Exit(1)
	}
	fmt.Println("signal: shutting down gracefully")
	graceCtx, cancel := context.WithTimeout(context.Background(), *grace)
	defer cancel()
	err = s.shutdown(graceCtx)
	if errors.Is(err, context.DeadlineExceeded) {
		fmt.Printf("deadline of %v passed: closed the connections still busy\n", *grace)
	}
	fmt.Printf("server: read %d, answered %d, lost in flight %d; shutdown took %v\n",
		s.read.Load(), s.answered.Load(), s.lost.Load(), time.Since(started).Round(time.Millisecond))
	if clientsDone != nil {
		clientsDone.Wait()
		fmt.Printf("clients: sent %d, answered %d, unanswered %d\n",
			clients.sent.Load(), clients.answered.Load(), clients.unanswered.Load())
	}
}
