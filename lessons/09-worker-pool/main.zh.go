// 第 9 课：一个用 K 个 worker goroutine 组成的池来限制并发的 TCP 服务器。
//
// 每个连接有一个廉价的读取 goroutine；每一行请求变成一个任务，放进容量为 Q 的缓冲通道；
// K 个 worker 从中取任务，做（模拟的）工作，写回“done <行>”。队列满时，读取 goroutine
// 等待（背压），或者加 -reject 时立即回答“busy <行>”。
//
// 运行：go run main.go -addr 127.0.0.1:9009 -workers 4 -queue 16 -work 20ms
// 对比：go run main.go -mode semaphore -workers 4（把缓冲通道当信号量用）
//
//	go run main.go -mode unbounded                （每个请求一个 goroutine，不加限制）
//
// 连接它：nc 127.0.0.1 9009（每行一个请求）
// 停止它：Ctrl-C。它停止接受连接和读取，让 worker 做完队列里的任务并发出
// 答复，然后关闭连接并退出（再按一次 Ctrl-C 立即退出）。
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// job 是一行请求，以及它的答复要发往哪里。
type job struct {
	conn    net.Conn
	line    string
	readAt  time.Time
	pending *sync.WaitGroup // 这个连接尚未答复的任务：要等它们都答复了，连接才关闭
}

// server 保存所有 goroutine 共享的东西。计数器是原子的：许多 goroutine 同时更新它们。
type server struct {
	mode    string
	work    time.Duration
	reject  bool
	jobs    chan job      // 队列：缓冲通道，容量 Q（pool 模式）
	sem     chan struct{} // semaphore 模式：容量 K，每个正在处理的请求占一个位置
	done    chan struct{} // 关闭时被 close：放开在满队列上等待的读取 goroutine
	readers sync.WaitGroup
	pool    sync.WaitGroup // K 个 worker

	busy      atomic.Int64
	completed atomic.Int64
	rejected  atomic.Int64

	mu        sync.Mutex
	conns     map[net.Conn]struct{}
	latencies []time.Duration
}

func main() {
	addr := flag.String("addr", "127.0.0.1:9009", "address to listen on")
	mode := flag.String("mode", "pool", "pool (K workers and a jobs queue), semaphore (K slots) or unbounded")
	workers := flag.Int("workers", 4, "K: requests worked on at once")
	queue := flag.Int("queue", 16, "Q: jobs waiting for a worker (pool mode)")
	work := flag.Duration("work", 20*time.Millisecond, "simulated work per request (a slow downstream call)")
	reject := flag.Bool("reject", false, `when the queue is full, answer "busy" instead of waiting`)
	flag.Parse()
	if *workers < 1 || *queue < 0 {
		log.Fatal("need -workers >= 1 and -queue >= 0")
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("listen on %s: %v", *addr, err)
	}
	s := &server{
		mode:   *mode,
		work:   *work,
		reject: *reject,
		jobs:   make(chan job, *queue),
		sem:    make(chan struct{}, *workers),
		done:   make(chan struct{}),
		conns:  make(map[net.Conn]struct{}),
	}

	s.startWorkers(*workers)
	log.Printf("%s server on %s: K=%d Q=%d work=%v reject=%v", s.mode, ln.Addr(), *workers, *queue, *work, *reject)

	stopStats := make(chan struct{})
	go s.printStats(stopStats)

	// Ctrl-C：停止接受连接；serve 中的 accept 循环随即返回。第二次 Ctrl-C 不再等待排空。
	interrupt := make(chan os.Signal, 1)
	signal.Notify(interrupt, os.Interrupt)
	go func() {
		<-interrupt
		ln.Close()
		<-interrupt
		os.Exit(1)
	}()

	s.serve(ln)
	s.shutdown()
	close(stopStats)
	log.Printf("stopped: %d completed, %d rejected", s.completed.Load(), s.rejected.Load())
}

// startWorkers 启动工作池：恰好 K 个 worker，只启动一次。jobs 关闭并取空后它们结束。
func (s *server) startWorkers(k int) {
	if s.mode != "pool" {
		return
	}
	for i := 1; i <= k; i++ {
		s.pool.Add(1) // 在 `go` 之前，绝不在 goroutine 里面：Wait 不能先于 Add 运行
		go func(id int) {
			defer s.pool.Done()
			s.worker(id)
		}(i)
	}
}

// serve 接受连接，直到监听器被关闭。
func (s *server) serve(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			log.Printf("accept: %v", err)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		s.track(conn, true)
		s.readers.Add(1)
		go s.serveConn(conn)
	}
}

// shutdown 先排空、再关闭，顺序如下：放开阻塞在满队列上的读取 goroutine（它们那一行从未
// 进入队列），用一个已经过去的截止时间让每个读取 goroutine 的 Read 返回（连接保持打开），等待
// 每个读取 goroutine；每个读取 goroutine 先等 worker 答复完它排进队列的任务，再关闭自己的连接；
// 只有这时才关闭 jobs（再也没有人会向它发送），于是 worker 的 range 循环结束。
func (s *server) shutdown() {
	close(s.done)
	s.stopReading()
	s.readers.Wait()
	close(s.jobs)
	s.pool.Wait()
}

// serveConn 读取请求行，把每一行交出去。读取很廉价，所以每个连接一个 goroutine 没问题：
// 昂贵的部分由工作池限制。
func (s *server) serveConn(conn net.Conn) {
	defer s.readers.Done()
	defer s.track(conn, false)
	var pending sync.WaitGroup
	defer conn.Close()
	defer pending.Wait() // 在 Close 之前执行：先把这个连接排队任务的答复发出去
	sc := bufio.NewScanner(conn)
	sc.Buffer(make([]byte, 4096), 4096) // 更长的行会结束连接：内存保持有界
	for sc.Scan() {
		j := job{conn: conn, line: sc.Text(), readAt: time.Now(), pending: &pending}
		pending.Add(1) // 这个任务会得到答复（或者在下面被丢弃，那时调用 Done）
		switch s.mode {
		case "unbounded":
			go s.handle(j) // 不加限制：请求来多少，就同时处理多少
		case "semaphore":
			// 先占一个位置，再启动 goroutine；它做完后释放这个位置。
			select {
			case s.sem <- struct{}{}:
			case <-s.done:
				pending.Done()
				return
			}
			go func(j job) {
				defer func() { <-s.sem }() // 被延迟的调用要带上末尾的 `()`：`defer func() { ... }()`
				s.handle(j)
			}(j)
		default:
			if s.reject {
				select {
				case s.jobs <- j:
				default: // 队列已满：立即说明，而不是让客户端等待
					pending.Done()
					s.rejected.Add(1)
					fmt.Fprintf(conn, "busy %s\n", j.line)
				}
				continue
			}
			select {
			case s.jobs <- j: // 队列满时等待：被放慢的是这个客户端，而不是其他客户端
			case <-s.done:
				pending.Done()
				return
			}
		}
	}
}

// worker 不断取任务，直到通道关闭并取空。
func (s *server) worker(id int) {
	for j := range s.jobs {
		s.handle(j)
	}
}

// handle 做工作并答复。多个 goroutine 向同一个 net.Conn 写是安全的：每次 Write 都是完整的。
func (s *server) handle(j job) {
	defer j.pending.Done()
	s.busy.Add(1)
	time.Sleep(s.work) // 代表一次数据库查询或对另一个服务的调用
	s.busy.Add(-1)
	if _, err := fmt.Fprintf(j.conn, "done %s\n", j.line); err != nil {
		return
	}
	s.completed.Add(1)
	s.mu.Lock()
	s.latencies = append(s.latencies, time.Since(j.readAt))
	s.mu.Unlock()
}

func (s *server) track(conn net.Conn, open bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if open {
		s.conns[conn] = struct{}{}
	} else {
		delete(s.conns, conn)
	}
}

// stopReading 让每个读取 goroutine 阻塞中的 Read 立即返回，但不关闭连接：它排队任务的答复
// 还要从这个连接发出去。
func (s *server) stopReading() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.SetReadDeadline(time.Now())
	}
}

// printStats 每秒打印实验室图表显示的内容：吞吐量、延迟、队列和忙碌的 worker。
func (s *server) printStats(stop <-chan struct{}) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var last int64
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		s.mu.Lock()
		lat := s.latencies
		s.latencies = nil
		s.mu.Unlock()
		done := s.completed.Load()
		if done == last && len(lat) == 0 {
			continue
		}
		sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
		log.Printf("%d req/s  p50 %v  p95 %v  queue %d/%d  busy %d  rejected %d",
			done-last, quantile(lat, 0.50), quantile(lat, 0.95), len(s.jobs), cap(s.jobs), s.busy.Load(), s.rejected.Load())
		last = done
	}
}

// quantile 返回已排序时长的 q 分位数（最近秩法），没有数据时返回 0。
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.999999) - 1
	if i < 0 {
		i = 0
	}
	if i >= len(sorted) {
		i = len(sorted) - 1
	}
	return sorted[i].Round(100 * time.Microsecond)
}
