// 第 6 课：通道。无缓冲通道把一个值从一个 goroutine 交给另一个；缓冲通道是一个有容量的
// 队列；close 告诉接收者不会再有值了，range 一直接收到那时为止。
package main

import (
	"fmt"
	"time"
)

func producer(items chan<- int, n int) {
	for i := 1; i <= n; i++ {
		start := time.Now()
		items <- i // 等待接收者（无缓冲时）或缓冲区里的空位
		fmt.Printf("sent %d after waiting %v (len %d/%d)\n", i, time.Since(start).Round(time.Millisecond), len(items), cap(items))
	}
	close(items) // 由发送者关闭，绝不由接收者关闭
}

func consume(items <-chan int) {
	for v := range items { // items 关闭并取空后结束
		time.Sleep(30 * time.Millisecond) // 一个慢消费者
		fmt.Println("received", v)
	}
}

func main() {
	fmt.Println("-- unbuffered: each send waits for the receiver")
	unbuffered := make(chan int)
	go producer(unbuffered, 3)
	consume(unbuffered)

	fmt.Println("-- buffered, capacity 3: sends go ahead while there is room")
	buffered := make(chan int, 3)
	go producer(buffered, 5)
	consume(buffered)

	// 从已关闭且已取空的通道接收会立即返回零值，且 ok == false。
	v, ok := <-buffered
	fmt.Printf("after close: v=%d ok=%v\n", v, ok)

	// 一个永远没人接收的发送会永远阻塞。当再也没有 goroutine 能运行时，Go 以
	// `fatal error: all goroutines are asleep - deadlock!` 停止程序。取消下面两行的注释就能看到：
	// results := make(chan int)
	// results <- 42
}
