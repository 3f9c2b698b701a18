// 第 15 课：一个客户端，靠心跳发现服务器已死，用带上限的指数退避加完全抖动重连，
// 并从中断处继续接收消息流。
//
// 运行：go run main.go
// 它在回环地址上启动自己的服务器：先发 1 秒带编号的消息，然后冻结（保持连接，什么都不回），
// 然后停机（立即关闭所有连接），1.5 秒后恢复。
// 观察客户端发现沉默、在服务器停机时退避等待，并从下一条消息继续。
//
// 连接另一个说同样协议的服务器（例如经过实验室的故障代理）：
//
//	go run main.go -addr 127.0.0.1:9015
//
// 协议：服务器先发“HELLO”；客户端请求“RESUME <n>”；服务器发送“MSG <n>”行，
// 并用“PONG”回答“PING”。
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	interval = 100 * time.Millisecond // 每隔这么久发一个 PING
	timeout  = 400 * time.Millisecond // 沉默这么久就认为服务器已不在
	base     = 50 * time.Millisecond  // 第一次重试前的等待
	maxWait  = 800 * time.Millisecond // 任何等待都不超过它（上限）
	wantMsgs = 40                     // 客户端收到第 39 条消息后结束
)

var start = time.Now()

func logf(format string, args ...any) {
	fmt.Printf("%5d ms  %s\n", time.Since(start).Milliseconds(), fmt.Sprintf(format, args...))
}

// backoff 是带上限的指数退避加完全抖动：第 n 次重试等待 `[0, min(maxWait, base·2^n))` 中
// 均匀分布的随机时间。
type backoff struct {
	retry int
	rnd   *rand.Rand
}

func (b *backoff) next() time.Duration {
	ceiling := maxWait
	if b.retry < 30 && base<<b.retry < maxWait {
		ceiling = base << b.retry
	}
	b.retry++
	return time.Duration(b.rnd.Int63n(int64(ceiling)))
}

func (b *backoff) reset() { b.retry = 0 }

// session 处理一条连接：问候、RESUME、一个心跳 goroutine，以及每次都带截止时间的读取。
// 连接结束时返回；*next 是还没收到的第一条消息。
func session(conn net.Conn, next *int) error {
	defer conn.Close()
	r := bufio.NewReader(conn)
	// 问候证明服务器的程序（而不只是它的内核）还在：没有 HELLO，就不算连上。
	conn.SetReadDeadline(time.Now().Add(timeout))
	if line, err := r.ReadString('\n'); err != nil || line != "HELLO\n" {
		return fmt.Errorf("no greeting: %v", err)
	}
	if _, err := fmt.Fprintf(conn, "RESUME %d\n", *next); err != nil {
		return err
	}
	logf("connected; resuming at message %d", *next)

	done := make(chan struct{})
	defer close(done)
	go func() {
		ticker := time.NewTicker(interval)
		defer ticker.Stop()
		for {
			select {
			case <-done:
				return
			case <-ticker.C:
				if _, err := conn.Write([]byte("PING\n")); err != nil {
					return
				}
			}
		}
	}()

	for *next < wantMsgs {
		// 截止时间是一个时间点：每次读取前重新设置，所以收到任何一行都让连接继续活着。
		conn.SetReadDeadline(time.Now().Add(timeout))
		line, err := r.ReadString('\n')
		if err != nil {
			return err
		}
		if strings.HasPrefix(line, "MSG ") {
			if seq, err := strconv.Atoi(strings.TrimSpace(line[4:])); err == nil && seq == *next {
				*next = seq + 1
				if seq%10 == 0 {
					logf("message %d", seq)
				}
			}
		}
	}
	return nil
}

func client(addr string) {
	b := &backoff{rnd: rand.New(rand.NewSource(time.Now().UnixNano()))}
	next := 0
	for next < wantMsgs {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			before := next
			err = session(conn, &next)
			if next > before {
				b.reset() // 送达过消息的会话让退避从头开始
			}
			if next >= wantMsgs {
				break
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				logf("silence for %v: the server is gone (heartbeat)", timeout)
			} else {
				logf("connection lost: %v", err)
			}
		}
		wait := b.next()
		logf("retry %d in %v", b.retry, wait.Round(time.Millisecond))
		time.Sleep(wait)
	}
	logf("got all %d messages", wantMsgs)
}

// flakyServer 按时间表发送 MSG 行，然后冻结、停机、再恢复。
type flakyServer struct {
	mu     sync.Mutex
	state  string // “up”、“frozen”或“down”
	conns  map[net.Conn]bool
	listen net.Listener
}

func (s *flakyServer) set(state string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state = state
	if state == "down" {
		for c := range s.conns {
			c.Close()
		}
	}
}

func (s *flakyServer) get() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

func (s *flakyServer) serve(conn net.Conn) {
	defer conn.Close()
	if s.get() == "down" {
		return // 正在重启的服务器：连接立即关闭
	}
	s.mu.Lock()
	s.conns[conn] = true
	s.mu.Unlock()
	defer func() { s.mu.Lock(); delete(s.conns, conn); s.mu.Unlock() }()
	var wmu sync.Mutex
	write := func(line string) error {
		switch s.get() {
		case "down":
			return net.ErrClosed
		case "frozen":
			return nil // 进程卡住了；它的内核仍然确认（ACK）收到的数据
		}
		wmu.Lock()
		defer wmu.Unlock()
		_, err := fmt.Fprint(conn, line)
		return err
	}
	if err := write("HELLO\n"); err != nil {
		return
	}
	r := bufio.NewReader(conn)
	line, err := r.ReadString('\n')
	if err != nil {
		return
	}
	seq, _ := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "RESUME ")))
	go func() {
		for ; ; seq++ {
			time.Sleep(40 * time.Millisecond)
			if write(fmt.Sprintf("MSG %d\n", seq)) != nil {
				return
			}
		}
	}()
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		if line == "PING\n" {
			write("PONG\n")
		}
	}
}

func startServer() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	s := &flakyServer{state: "up", conns: map[net.Conn]bool{}, listen: ln}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(conn)
		}
	}()
	go func() {
		time.Sleep(1000 * time.Millisecond)
		logf("[server] freezes")
		s.set("frozen")
		time.Sleep(1000 * time.Millisecond)
		logf("[server] goes down")
		s.set("down")
		time.Sleep(1500 * time.Millisecond)
		logf("[server] is back")
		s.set("up")
	}()
	return ln.Addr().String(), nil
}

func main() {
	addr := flag.String("addr", "", "server to connect to (default: start a flaky server on loopback)")
	flag.Parse()
	if *addr == "" {
		a, err := startServer()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		*addr = a
	}
	client(*addr)
}
