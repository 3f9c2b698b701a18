// 第 7 课：select 同时等待多个通道操作。配上 time.After 就是超时，带 default 分支就是
// 不阻塞的尝试，把一个通道设为 nil 就关掉了它的 case。
package main

import (
	"fmt"
	"time"
)

// slowCall 在 d 之后作答。通道里有放答案的空位，所以即使调用者已经不再等待，
// 这个 goroutine 也能结束（第 10 课展示没有这个空位时会怎样）。
func slowCall(d time.Duration) <-chan string {
	result := make(chan string, 1)
	go func() {
		time.Sleep(d)
		result <- fmt.Sprintf("answer after %v", d)
	}()
	return result
}

// producer 每隔 `every` 发送一个值，共 n 个，然后关闭它的通道。
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
	// 1. 超时：哪个先就绪，哪个就赢。
	for _, d := range []time.Duration{50 * time.Millisecond, 300 * time.Millisecond} {
		select {
		case v := <-slowCall(d):
			fmt.Println("got:", v)
		case <-time.After(200 * time.Millisecond):
			fmt.Printf("timeout: the %v call was still running after 200ms\n", d)
		}
	}

	// 2. 扇入：一个循环从两个生产者接收；已关闭的那个被设为 nil，select 再也不会选它。
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

	// 3. 不阻塞的发送：只有没有任何 case 就绪时，default 才会执行。
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
