// 练习 12 的 Go 版：和 start.ts 一样的 fetchAll，每个 id 一个 goroutine，所以所有请求同时进行。
// 课程展示一个由固定数量的 worker 组成、从同一个 jobs 通道读取的工作池如何限制它。
//
// 运行：go run main.go（它会在一个空闲的回环端口上启动自己的慢服务器）
package main

import (
	"bufio"
	"fmt"
	"log"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// fetchOne 拨号连接 addr，发送“<id>\n”，返回一行答复。
func fetchOne(addr string, id int) (string, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := fmt.Fprintf(conn, "%d\n", id); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(line), nil
}

// fetchAll 请求每一个 id。TODO：同时最多 `workers` 个请求；这里每个 id 启动一个 goroutine。
func fetchAll(addr string, ids []int, workers int) []string {
	results := make([]string, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func(i, id int) {
			defer wg.Done()
			reply, err := fetchOne(addr, id)
			if err != nil {
				reply = "error: " + err.Error()
			}
			results[i] = reply
		}(i, id)
	}
	wg.Wait()
	return results
}

// slowServer 在 50 ms 后答复每个请求，并记录同时打开的连接数的最大值。
func slowServer() (string, *int64, func()) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatalf("listen: %v", err)
	}
	var open, peak int64
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			n := atomic.AddInt64(&open, 1)
			for {
				p := atomic.LoadInt64(&peak)
				if n <= p || atomic.CompareAndSwapInt64(&peak, p, n) {
					break
				}
			}
			go func(c net.Conn) {
				defer atomic.AddInt64(&open, -1)
				defer c.Close()
				line, err := bufio.NewReader(c).ReadString('\n')
				if err != nil {
					return
				}
				time.Sleep(50 * time.Millisecond)
				fmt.Fprintf(c, "value-%s\n", strings.TrimSpace(line))
			}(conn)
		}
	}()
	return ln.Addr().String(), &peak, func() { ln.Close() }
}

func main() {
	addr, peak, stop := slowServer()
	defer stop()
	ids := make([]int, 24)
	for i := range ids {
		ids[i] = i + 1
	}
	start := time.Now()
	results := fetchAll(addr, ids, 4)
	fmt.Printf("%d replies in %v, first %q, last %q\n", len(results), time.Since(start).Round(time.Millisecond), results[0], results[len(results)-1])
	fmt.Printf("connections open at once: at most %d (the bound is 4)\n", atomic.LoadInt64(peak))
}
