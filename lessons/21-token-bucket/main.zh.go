// 练习 21 的 Go 版本：start.ts 中的令牌桶（仍然放行一切），以及询问它的服务器。
// 本课要补全 allow 和 retryAfter：让一次突发通过，其余的立即以一行答复拒绝，
// 令牌按速率恢复。
//
// 运行：go run main.go（它启动服务器，一次发送 12 行并打印回复）
package main

import (
	"bufio"
	"fmt"
	"log"
	"net"
	"strings"
	"time"
)

type tokenBucket struct {
	rate, burst float64
	tokens      float64
	last        time.Time
	now         func() time.Time
}

func newTokenBucket(rate float64, burst int, now func() time.Time) *tokenBucket {
	return &tokenBucket{rate: rate, burst: float64(burst), tokens: float64(burst), last: now(), now: now}
}

// allow 在有令牌时取走一个。TODO：它放行一切。
func (b *tokenBucket) allow() bool {
	return true
}

// retryAfter 是桶再有一个令牌之前的时间。TODO。
func (b *tokenBucket) retryAfter() time.Duration {
	return 0
}

func serveLimited(ln net.Listener, newBucket func() *tokenBucket) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		go func(c net.Conn) {
			defer c.Close()
			bucket := newBucket() // 每个连接一个桶
			r := bufio.NewReader(c)
			for {
				line, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if bucket.allow() {
					fmt.Fprintf(c, "ok %s\n", strings.TrimSpace(line))
				} else {
					fmt.Fprintf(c, "ERR rate limited, retry after %dms\n", bucket.retryAfter().Milliseconds())
				}
			}
		}(conn)
	}
}

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	go serveLimited(ln, func() *tokenBucket { return newTokenBucket(2, 5, time.Now) })
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(conn, "request %d\n", i)
	}
	r := bufio.NewReader(conn)
	for i := 0; i < 12; i++ {
		reply, err := r.ReadString('\n')
		if err != nil {
			log.Fatal(err)
		}
		fmt.Print(reply)
	}
}
