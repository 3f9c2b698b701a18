// 第 19 课：基于 net.Conn 的连接池，与每个请求都拨一条新连接的做法对比。
//
// 连接池最多同时打开 maxOpen 条连接（使用中 + 空闲）；找不到空闲连接的调用方会等待，直到它的 context 截止。
// 归还的连接保持空闲，留给下一个调用方（最多 maxIdle 条，每条最多空闲 idleTimeout），最新的先用。
// 把空闲连接交出去之前，健康检查会问内核：对端是否已经关闭或重置了它；已断开的连接被丢弃，不会交出去。
//
// 运行：go run main.go
// （它在回环地址上启动自己的行协议服务器，对每一行都回答“ok”，并像真实服务器那样关闭空闲 300 ms 的连接；
// 然后 8 个调用方先每个请求都拨号发请求 1 s，再通过连接池发请求 1 s；
// 接着暂停一段比服务器空闲超时更长的时间，再分别在开启和关闭健康检查时通过连接池发几个请求）
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

var errWaitTimeout = errors.New("pool: no connection came free in time")

type idleConn struct {
	c     net.Conn
	since time.Time
}

// pool 可以被多个 goroutine 同时使用。
type pool struct {
	dial        func() (net.Conn, error)
	maxIdle     int
	idleTimeout time.Duration
	healthCheck bool

	slots chan struct{} // 每条打开的连接占一个令牌：最多 maxOpen 个
	freed chan struct{} // 每条放回空闲的连接发一个令牌，唤醒等待的调用方

	mu                                   sync.Mutex
	idle                                 []idleConn // 最旧的在前；Get 取最新的（后进先出）
	dials, reuses, discarded, closedIdle int
}

func newPool(dial func() (net.Conn, error), maxOpen, maxIdle int, idleTimeout time.Duration, healthCheck bool) *pool {
	return &pool{
		dial: dial, maxIdle: maxIdle, idleTimeout: idleTimeout, healthCheck: healthCheck,
		slots: make(chan struct{}, maxOpen),
		freed: make(chan struct{}, maxOpen),
	}
}

// Get 返回一条空闲连接（最新的先用，先做健康检查）；打开的连接少于 maxOpen 时拨一条新连接；
// 否则等待其中之一，直到 ctx 结束。
func (p *pool) Get(ctx context.Context) (c net.Conn, reused bool, err error) {
	for {
		if c := p.takeIdle(); c != nil {
			return c, true, nil
		}
		select {
		case p.slots <- struct{}{}: // 打开的连接少于 maxOpen：拨一条新的
			c, err := p.dial()
			if err != nil {
				<-p.slots
				return nil, false, err
			}
			p.mu.Lock()
			p.dials++
			p.mu.Unlock()
			return c, false, nil
		case <-p.freed: // 有连接变为空闲：再看一遍
		case <-ctx.Done():
			return nil, false, fmt.Errorf("%w: %v", errWaitTimeout, ctx.Err())
		}
	}
}

func (p *pool) takeIdle() net.Conn {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.idle) > 0 {
		last := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		switch {
		case p.idleTimeout > 0 && time.Since(last.since) >= p.idleTimeout:
			p.closedIdle++
		case p.healthCheck && !alive(last.c):
			p.discarded++
		default:
			p.reuses++
			return last.c
		}
		last.c.Close()
		<-p.slots
	}
	return nil
}

// Put 归还一条连接。broken：在它上面的请求失败了，所以关闭它，不再复用。
func (p *pool) Put(c net.Conn, broken bool) {
	p.mu.Lock()
	if broken || len(p.idle) >= p.maxIdle {
		p.mu.Unlock()
		c.Close()
		<-p.slots
		return
	}
	p.idle = append(p.idle, idleConn{c, time.Now()})
	p.mu.Unlock()
	select {
	case p.freed <- struct{}{}:
	default: // 待处理的唤醒已经足够
	}
}

// alive 是健康检查：对套接字做一次不阻塞的窥视。没有可读的（EAGAIN）说明连接仍然打开；
// 读到 0 字节说明对端发了 FIN，出错说明它发了 RST；读到没人请求的字节说明两端已经错位。
// 适用于 Linux 和 BSD；它直接询问内核，不等待。
func alive(c net.Conn) bool {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return true
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	var n int
	var rerr error
	buf := make([]byte, 1)
	err = raw.Read(func(fd uintptr) bool {
		n, _, rerr = syscall.Recvfrom(int(fd), buf, syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		return true // 只看一次，绝不等待可读
	})
	return err == nil && n <= 0 && (rerr == syscall.EAGAIN || rerr == syscall.EWOULDBLOCK)
}

// request 在 c 上发送一行并读取回复，带截止时间。
func request(c net.Conn, r *bufio.Reader) error {
	c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("call\n")); err != nil {
		return err
	}
	line, err := r.ReadString('\n')
	if err != nil {
		return err
	}
	if line != "ok\n" {
		return fmt.Errorf("server said %q", line)
	}
	return nil
}

// serve 对每一行回答“ok”，并关闭空闲 idleTimeout 的连接。accepted 统计它接受的连接数：
// 也就是服务器看到的握手次数。
func serve(ln net.Listener, idleTimeout time.Duration, accepted *int64) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		atomic.AddInt64(accepted, 1)
		go func() {
			defer c.Close()
			r := bufio.NewReader(c)
			for {
				c.SetReadDeadline(time.Now().Add(idleTimeout))
				if _, err := r.ReadString('\n'); err != nil {
					return // 客户端关闭了，或者空闲太久
				}
				if _, err := c.Write([]byte("ok\n")); err != nil {
					return
				}
			}
		}()
	}
}

// load 运行若干调用方，在 d 时间内一个接一个地发请求。p 为 nil 时每个请求都拨自己的连接。
func load(addr string, p *pool, callers int, d time.Duration) (ok, failed int64) {
	var wg sync.WaitGroup
	end := time.Now().Add(d)
	readers := sync.Map{} // 每条连接一个 bufio.Reader，跨请求保留
	for i := 0; i < callers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				var c net.Conn
				var err error
				if p == nil {
					c, err = net.Dial("tcp", addr)
				} else {
					ctx, cancel := context.WithTimeout(context.Background(), time.Second)
					c, _, err = p.Get(ctx)
					cancel()
				}
				if err != nil {
					atomic.AddInt64(&failed, 1)
					continue
				}
				r, _ := readers.LoadOrStore(c, bufio.NewReader(c))
				err = request(c, r.(*bufio.Reader))
				if err != nil {
					atomic.AddInt64(&failed, 1)
				} else {
					atomic.AddInt64(&ok, 1)
				}
				if p == nil {
					readers.Delete(c)
					c.Close()
				} else {
					if err != nil {
						readers.Delete(c)
					}
					p.Put(c, err != nil)
				}
			}
		}()
	}
	wg.Wait()
	return ok, failed
}

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	var accepted int64
	go serve(ln, 300*time.Millisecond, &accepted)
	addr := ln.Addr().String()
	dial := func() (net.Conn, error) { return net.Dial("tcp", addr) }
	const callers = 8

	ok, failed := load(addr, nil, callers, time.Second)
	fmt.Printf("dial per request: %6d requests/s, %d failed, %6d handshakes seen by the server\n",
		ok, failed, atomic.SwapInt64(&accepted, 0))

	p := newPool(dial, callers, callers, 30*time.Second, true)
	ok, failed = load(addr, p, callers, time.Second)
	fmt.Printf("pool:             %6d requests/s, %d failed, %6d handshakes seen by the server (pool: %d dials, %d reuses)\n",
		ok, failed, atomic.SwapInt64(&accepted, 0), p.dials, p.reuses)

	// 服务器会关闭空闲 300 ms 的连接：这次暂停之后，连接池里的每条空闲连接都已断开。
	for _, check := range []bool{true, false} {
		p.healthCheck = check
		p.discarded = 0
		time.Sleep(500 * time.Millisecond)
		ok, failed = load(addr, p, callers, 100*time.Millisecond)
		fmt.Printf("after the server's idle timeout, health check %-5v: %d ok, %d failed, %d discarded by the check\n",
			check, ok, failed, p.discarded)
	}
}
