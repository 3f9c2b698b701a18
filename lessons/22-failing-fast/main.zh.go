// 练习 22 的 Go 版本：start.ts 中的熔断器，它仍然每次都调用上游。本课要给它三种状态：
// 关闭；连续失败后打开（调用以 errOpen 快速失败）；半开时只放一个探测。
//
// 运行：go run main.go（它启动一个对前 6 个请求都失败的上游，然后调用它 40 次，每次间隔 50 ms）
package main

import (
	"bufio"
	"errors"
	"fmt"
	"log"
	"net"
	"sync"
	"time"
)

var errOpen = errors.New("circuit breaker is open")

type state int

const (
	closed state = iota
	open
	halfOpen
)

type breaker struct {
	mu        sync.Mutex
	threshold int           // 连续失败这么多次就打开
	openFor   time.Duration // 探测之前保持打开的时长
	now       func() time.Time
	state     state
	failures  int
	openedAt  time.Time
	probing   bool
}

// call 经过熔断器运行 fn。TODO：它从不打开。
func (b *breaker) call(fn func() error) error {
	return fn()
}

// callUpstream 连接、发送一行并读取一行回复，全部在同一个截止时间之内；“ok”表示成功。
func callUpstream(addr string, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(timeout))
	fmt.Fprint(conn, "call\n")
	reply, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if reply != "ok\n" {
		return fmt.Errorf("upstream answered %q", reply)
	}
	return nil
}

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	reached := 0
	var mu sync.Mutex
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			reached++
			failing := reached <= 6
			mu.Unlock()
			bufio.NewReader(conn).ReadString('\n')
			if failing {
				fmt.Fprint(conn, "ERR upstream failing\n")
			} else {
				fmt.Fprint(conn, "ok\n")
			}
			conn.Close()
		}
	}()
	b := &breaker{threshold: 3, openFor: 200 * time.Millisecond, now: time.Now}
	var ok, failed, failedFast int
	for i := 0; i < 40; i++ {
		err := b.call(func() error { return callUpstream(ln.Addr().String(), 500*time.Millisecond) })
		switch {
		case err == nil:
			ok++
		case errors.Is(err, errOpen):
			failedFast++
		default:
			failed++
		}
		time.Sleep(50 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	fmt.Printf("ok %d, failed %d, failed fast %d; the upstream was reached %d times\n", ok, failed, failedFast, reached)
}
