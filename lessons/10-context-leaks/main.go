// Lesson 10: goroutine leaks, and context cancellation that prevents them. A goroutine blocked forever on a send
// nobody receives is never freed; passing a context lets the caller tell its goroutines to stop.
package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"
)

// searchLeaky starts a worker and waits for its answer or a timeout. When the timeout wins, the worker's send on
// the unbuffered channel has no receiver left: it blocks forever, and that goroutine is leaked.
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

// search takes a context: the worker stops working when the caller gives up, and the channel has room for the
// answer in case the worker finishes just as the caller leaves.
func search(ctx context.Context, work time.Duration) (string, error) {
	answer := make(chan string, 1)
	go func() {
		select {
		case <-time.After(work):
			answer <- "result"
		case <-ctx.Done():
			// The caller has gone: stop here.
		}
	}()
	select {
	case a := <-answer:
		return a, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// workers runs n goroutines until ctx is cancelled, and waits until every one has stopped.
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
	time.Sleep(100 * time.Millisecond) // every worker has done its work by now
	fmt.Printf("leaky: %d goroutines still blocked\n", runtime.NumGoroutine()-before)

	before = runtime.NumGoroutine()
	for i := 0; i < 5; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		_, err := search(ctx, 50*time.Millisecond)
		cancel() // always call it: it releases the context's timer and stops its goroutines
		fmt.Println("with context:", err)
	}
	time.Sleep(100 * time.Millisecond)
	fmt.Printf("with context: %d goroutines left\n", runtime.NumGoroutine()-before)

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	workers(ctx, 3)
	fmt.Println("all workers stopped:", ctx.Err())
}
