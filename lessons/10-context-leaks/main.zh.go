// 第 10 课：goroutine 泄漏，以及防止泄漏的 context 取消。一个永远阻塞在没人接收的发送上的
// goroutine 永远不会被释放；传入一个 context，调用者就能让它的 goroutine 停下来。
package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"
)

// searchLeaky 启动一个 worker，等待它的答案或超时。超时先到时，worker 在无缓冲通道上的发送
// 再也没有接收者：它永远阻塞，这个 goroutine 就泄漏了。
func searchLeaky(timeout, work time.Duration) (string, error) {
	answer := make(chan string)
	go func() {
		time.Sleep(work)
		answer <- "result"
	}()
	select {
	case a := <-answer:
		return a, nil
	case <-time.After(timeout):
		return "", errors.New("timeout")
	}
}

// search 接受一个 context：调用者放弃时 worker 停止工作；通道里留有放答案的空位，
// 以防 worker 恰好在调用者离开时完成。
func search(ctx context.Context, work time.Duration) (string, error) {
	answer := make(chan string, 1)
	go func() {
		select {
		case <-time.After(work):
			answer <- "result"
		case <-ctx.Done():
			// 调用者已经走了：到此为止。
		}
	}()
	select {
	case a := <-answer:
		return a, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// workers 运行 n 个 goroutine，直到 ctx 被取消，并等待每一个都停下来。
func workers(ctx context.Context, n int) {
	stopped := make(chan int)
	for w := 0; w < n; w++ {
		go func(id int) {
			ticks := 0
			for {
				select {
				case <-ctx.Done():
					stopped <- id
					return
				case <-time.After(10 * time.Millisecond):
					ticks++
				}
			}
		}(w)
	}
	for i := 0; i < n; i++ {
		fmt.Println("worker stopped:", <-stopped)
	}
}

func main() {
	before := runtime.NumGoroutine()
	for i := 0; i < 5; i++ {
		_, err := searchLeaky(20*time.Millisecond, 50*time.Millisecond)
		fmt.Println("leaky:", err)
	}
	time.Sleep(100 * time.Millisecond) // 到这时每个 worker 都已完成了工作
	fmt.Printf("leaky: %d goroutines still blocked\n", runtime.NumGoroutine()-before)

	before = runtime.NumGoroutine()
	for i := 0; i < 5; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		_, err := search(ctx, 50*time.Millisecond)
		cancel() // 一定要调用它：它释放 context 的计时器，并停止它的 goroutine
		fmt.Println("with context:", err)
	}
	time.Sleep(100 * time.Millisecond)
	fmt.Printf("with context: %d goroutines left\n", runtime.NumGoroutine()-before)

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	workers(ctx, 3)
	fmt.Println("all workers stopped:", ctx.Err())
}
