// Lesson 7: select waits on several channel operations at once. With time.After it becomes a timeout, with a
// default case a non-blocking try, and setting a channel to nil switches its case off.
package main

import (
	"fmt"
	"time"
)

// slowCall answers after d. The channel has room for the answer, so the goroutine can finish even if the
// caller has stopped waiting (lesson 10 shows what happens without that room).
func slowCall(d time.Duration) <-chan string {
	result := make(chan string, 1)
	go func() {
		time.Sleep(d)
		result <- fmt.Sprintf("answer after %v", d)
	}()
	return result
}

// producer sends n values, one every `every`, then closes its channel.
func producer(name string, every time.Duration, n int) <-chan string {
	ch := make(chan string)
	go func() {
		defer close(ch)
		for i := 0; i < n; i++ {
			time.Sleep(every)
			ch <- fmt.Sprintf("%s%d", name, i)
		}
	}()
	return ch
}

func main() {
	// 1. A timeout: whichever is ready first wins.
	for _, d := range []time.Duration{50 * time.Millisecond, 300 * time.Millisecond} {
		select {
		case v := <-slowCall(d):
			fmt.Println("got:", v)
		case <-time.After(200 * time.Millisecond):
			fmt.Printf("timeout: the %v call was still running after 200ms\n", d)
		}
	}

	// 2. Fan-in: one loop receives from two producers; a closed one is set to nil, which select never picks.
	fast, slow := producer("f", 20*time.Millisecond, 4), producer("s", 55*time.Millisecond, 3)
	for fast != nil || slow != nil {
		select {
		case v, ok := <-fast:
			if !ok {
				fast = nil
				continue
			}
			fmt.Println("fast:", v)
		case v, ok := <-slow:
			if !ok {
				slow = nil
				continue
			}
			fmt.Println("slow:", v)
		}
	}

	// 3. A non-blocking send: default runs only when no case is ready.
	queue := make(chan int, 2)
	for i := 0; i < 4; i++ {
		select {
		case queue <- i:
			fmt.Println("queued", i)
		default:
			fmt.Println("queue full, dropped", i)
		}
	}
}
