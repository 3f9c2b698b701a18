// 第 8 课：goroutine 共享一个计数器的三种方式。不加锁，递增会丢失（这是数据竞争：
// `go run -race main.go` 会报告它）；Mutex 让每次“读取、修改、写回”独占进行；通道把每次
// 递增都交给拥有计数器的那一个 goroutine。
//
// 它就是实验室在浏览器里运行的程序（程序：共享计数器、由一个 goroutine 拥有的计数器）：
// 十个 goroutine 各加 3，读取计数器和写回之间间隔 1–3 ms。
package main

import (
	"fmt"
	"sync"
	"time"
)

const (
	workers   = 10
	perWorker = 3
)

// pause 是 goroutine w 第 k 次写回之前的间隔：1–3 ms，就像读取和写回之间的真实工作（或 I/O）。
func pause(w, k int) { time.Sleep(time.Duration(1+(w+k)%3) * time.Millisecond) }

func unsynchronised() int {
	counter := 0
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				v := counter // 读取
				pause(w, i)
				counter = v + 1 // 写回：其他 goroutine 可能在这之间已经写过了
			}
		}(w)
	}
	wg.Wait()
	return counter
}

func withMutex() int {
	var mu sync.Mutex
	counter := 0
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				mu.Lock()
				v := counter
				pause(w, i)
				counter = v + 1
				mu.Unlock()
			}
		}(w)
	}
	wg.Wait()
	return counter
}

// withOwner 通过通信来共享计数器：只有拥有者 goroutine 会碰它。
func withOwner() int {
	increments := make(chan int)
	total := make(chan int)
	go func() {
		counter := 0
		for d := range increments {
			counter += d
		}
		total <- counter
	}()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				pause(w, i)
				increments <- 1
			}
		}(w)
	}
	wg.Wait()
	close(increments)
	return <-total
}

func main() {
	want := workers * perWorker
	fmt.Printf("no synchronisation: %d (want %d)\n", unsynchronised(), want)
	fmt.Printf("sync.Mutex:         %d (want %d)\n", withMutex(), want)
	fmt.Printf("owner goroutine:    %d (want %d)\n", withOwner(), want)
}
