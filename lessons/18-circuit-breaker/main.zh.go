// 第 18 课：一个熔断器，挡在一个会停滞一阵子然后恢复的上游前面。
//
// 关闭：调用照常通过，失败在一个滑动窗口里计数。窗口内失败太多，熔断器就打开：
// 调用以 errOpen 快速失败，根本不碰上游。冷却之后它变为半开：
// 放少量探测调用通过；它们成功就关闭，有一个失败就再次打开。
//
// 运行：go run main.go
// （它在回环地址上启动自己的上游，上游在 2 秒到 5 秒之间停滞；程序以每秒 20 次调用它 8 秒，
// 分别直接调用和经过熔断器调用，每次调用的截止时间为 500 ms；最后打印每条路径的经历）
package main

import (
	"bufio"
	"errors"
	"fmt"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

var errOpen = errors.New("circuit breaker is open")

type state int

const (
	closed state = iota
	open
	halfOpen
)

func (s state) String() string {
	return [...]string{"closed", "open", "half-open"}[s]
}

// breaker 可以被多个 goroutine 同时使用。
type breaker struct {
	mu         sync.Mutex
	threshold  int           // 窗口内达到这么多次失败就打开
	window     time.Duration // 失败计数回看多久
	openFor    time.Duration // 开始探测之前的冷却时间
	probes     int           // 半开时放行的探测调用数；这么多次成功就关闭
	now        func() time.Time
	onChange   func(from, to state)
	state      state
	generation int // 每次状态转换都加一：在先前状态下放行的调用，其结果被忽略
	failures   []time.Time
	openedAt   time.Time
	probesOut  int
	probesOK   int
}

// allow 请求发起一次调用；返回要交给 done 的代号，或者 errOpen。
func (b *breaker) allow() (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if b.state == open && now.Sub(b.openedAt) >= b.openFor {
		b.set(halfOpen)
	}
	switch {
	case b.state == closed:
		return b.generation, nil
	case b.state == halfOpen && b.probesOut < b.probes:
		b.probesOut++
		return b.generation, nil
	}
	return 0, errOpen
}

// done 报告该代号的调用如何结束。
func (b *breaker) done(generation int, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if generation != b.generation {
		return
	}
	now := b.now()
	switch b.state {
	case closed:
		if ok {
			return
		}
		// 只保留窗口内的失败，再加上这一次。
		kept := b.failures[:0]
		for _, t := range b.failures {
			if now.Sub(t) < b.window {
				kept = append(kept, t)
			}
		}
		b.failures = append(kept, now)
		if len(b.failures) >= b.threshold {
			b.openedAt = now
			b.set(open)
		}
	case halfOpen:
		b.probesOut--
		if !ok {
			b.openedAt = now
			b.set(open)
			return
		}
		b.probesOK++
		if b.probesOK >= b.probes {
			b.set(closed)
		}
	}
}

// set 转换状态；调用者持有 mu。
func (b *breaker) set(to state) {
	from := b.state
	b.state = to
	b.generation++
	b.probesOut, b.probesOK = 0, 0
	if to == closed {
		b.failures = nil
	}
	if b.onChange != nil {
		b.onChange(from, to)
	}
}

// call 连接上游，发送一行并读取回复，全部在同一个截止时间之内。
func call(addr string, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(timeout))
	if _, err := fmt.Fprint(conn, "call\n"); err != nil {
		return err
	}
	reply, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if reply != "ok\n" {
		return fmt.Errorf("upstream said %q", reply)
	}
	return nil
}

// flakyUpstream 回答“ok”，停滞期间除外：那时它读取请求，但从不回答。
func flakyUpstream(stalled *atomic.Bool) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				r := bufio.NewReader(c)
				for {
					if _, err := r.ReadString('\n'); err != nil {
						return
					}
					if stalled.Load() {
						time.Sleep(time.Minute) // 占着连接，什么也不回答
						return
					}
					fmt.Fprint(c, "ok\n")
				}
			}(conn)
		}
	}()
	return ln.Addr().String(), nil
}

type pathStats struct {
	ok, failed, fastFailed, waiting, maxWaiting atomic.Int64
}

func (p *pathStats) start() {
	n := p.waiting.Add(1)
	for {
		m := p.maxWaiting.Load()
		if n <= m || p.maxWaiting.CompareAndSwap(m, n) {
			return
		}
	}
}

func (p *pathStats) end(err error) {
	p.waiting.Add(-1)
	if err != nil {
		p.failed.Add(1)
	} else {
		p.ok.Add(1)
	}
}

func main() {
	var stalled atomic.Bool
	addr, err := flakyUpstream(&stalled)
	if err != nil {
		log.Fatal(err)
	}
	started := time.Now()
	b := &breaker{threshold: 5, window: 2 * time.Second, openFor: time.Second, probes: 2, now: time.Now,
		onChange: func(from, to state) {
			fmt.Printf("%5.2fs breaker %s -> %s\n", time.Since(started).Seconds(), from, to)
		}}
	const timeout = 500 * time.Millisecond
	var direct, viaBreaker pathStats
	var wg sync.WaitGroup
	tick := time.NewTicker(50 * time.Millisecond) // 每条路径每秒 20 次调用
	defer tick.Stop()
	for now := range tick.C {
		elapsed := now.Sub(started)
		if elapsed >= 8*time.Second {
			break
		}
		stalled.Store(elapsed >= 2*time.Second && elapsed < 5*time.Second)
		wg.Add(2)
		go func() {
			defer wg.Done()
			direct.start()
			direct.end(call(addr, timeout))
		}()
		go func() {
			defer wg.Done()
			gen, err := b.allow()
			if err != nil {
				viaBreaker.fastFailed.Add(1) // 快速失败：不连接，不等待
				return
			}
			viaBreaker.start()
			err = call(addr, timeout)
			b.done(gen, err == nil)
			viaBreaker.end(err)
		}()
	}
	wg.Wait()
	for _, p := range []struct {
		name string
		s    *pathStats
	}{{"direct", &direct}, {"breaker", &viaBreaker}} {
		fmt.Printf("%-8s ok %3d  failed after waiting %3d  failed fast %3d  most waiting at once %3d\n",
			p.name, p.s.ok.Load(), p.s.failed.Load(), p.s.fastFailed.Load(), p.s.maxWaiting.Load())
	}
}
