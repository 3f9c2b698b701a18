// 第 17 课：一个行服务器，前面有两个令牌桶：每个客户端连接一个，所有客户端共用一个。
//
// 令牌桶最多装 `burst` 个令牌，每秒增加 `rate` 个。每个请求从它的客户端的桶和全局桶中
// 各取一个令牌；任何一个桶空了，请求就立即被拒绝，并收到一行错误，说明何时重试。
// 被拒绝的客户端会得到回答，绝不会被晾在那里等待。
//
// 运行：go run main.go -addr 127.0.0.1:9017 -rate 200 -burst 50 -client-rate 100 -client-burst 20
// 连接它：nc 127.0.0.1 9017（每行一个请求；一次粘贴很多行就能看到拒绝）
//
// 下面的桶的行为与 golang.org/x/time/rate 的 Limiter.Allow 相同；实际程序中请使用那个包：
//
//	lim := rate.NewLimiter(rate.Limit(200), 50)
//	if !lim.Allow() { /* 拒绝 */ }
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"net"
	"strings"
	"sync"
	"time"
)

// tokenBucket 可以被多个 goroutine 同时使用。
type tokenBucket struct {
	mu     sync.Mutex
	rate   float64 // 每秒增加的令牌数
	burst  float64 // 最多容纳的令牌数，也是初始数量
	tokens float64
	last   time.Time
}

func newTokenBucket(rate float64, burst int) *tokenBucket {
	return &tokenBucket{rate: rate, burst: float64(burst), tokens: float64(burst), last: time.Now()}
}

// advance 加上自上次调用以来攒下的令牌，最多到 burst。调用者持有 mu。
func (b *tokenBucket) advance(now time.Time) {
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens += elapsed.Seconds() * b.rate
		if b.tokens > b.burst {
			b.tokens = b.burst
		}
		b.last = now
	}
}

// level 返回桶中当前的令牌数。
func (b *tokenBucket) level(now time.Time) float64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advance(now)
	return b.tokens
}

// allow 在有令牌时取走一个，并返回是否取到（即 rate.Limiter.Allow）。
func (b *tokenBucket) allow(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advance(now)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// retryAfter 是桶再次有一个令牌之前要等待的时间。
func (b *tokenBucket) retryAfter(now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advance(now)
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
}

type server struct {
	global      *tokenBucket
	clientRate  float64
	clientBurst int
}

func (s *server) serve(conn net.Conn) {
	defer conn.Close()
	client := newTokenBucket(s.clientRate, s.clientBurst)
	in := bufio.NewReader(conn)
	out := bufio.NewWriter(conn)
	for {
		line, err := in.ReadString('\n')
		if err != nil {
			break
		}
		now := time.Now()
		// 先看客户端自己的桶：吵闹的客户端听到的是关于它自己的答复，也不会花掉全局令牌。
		switch {
		case client.level(now) < 1:
			fmt.Fprintf(out, "ERR rate limited (client bucket), retry after %v\n", client.retryAfter(now).Round(time.Millisecond))
		case !s.global.allow(now):
			fmt.Fprintf(out, "ERR rate limited (global bucket), retry after %v\n", s.global.retryAfter(now).Round(time.Millisecond))
		default:
			client.allow(now)
			fmt.Fprintf(out, "ok %s\n", strings.TrimRight(line, "\r\n"))
		}
		// 缓冲区里没有更多已到达的请求时，立即发出答复。
		if in.Buffered() == 0 {
			if err := out.Flush(); err != nil {
				return
			}
		}
	}
	out.Flush()
}

func main() {
	addr := flag.String("addr", "127.0.0.1:9017", "address to listen on")
	rate := flag.Float64("rate", 200, "global tokens per second")
	burst := flag.Int("burst", 50, "global bucket size")
	clientRate := flag.Float64("client-rate", 100, "tokens per second for each client")
	clientBurst := flag.Int("client-burst", 20, "bucket size for each client")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("rate-limited line server on %s: global %.0f/s burst %d, per client %.0f/s burst %d",
		ln.Addr(), *rate, *burst, *clientRate, *clientBurst)
	s := &server{global: newTokenBucket(*rate, *burst), clientRate: *clientRate, clientBurst: *clientBurst}
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Fatal(err)
		}
		go s.serve(conn)
	}
}
