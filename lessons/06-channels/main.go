// Lesson 6: channels. An unbuffered channel hands a value from one goroutine to another; a buffered one is a
// queue with a capacity; close tells the receivers nothing more will come, and range receives until then.
package main

import (
	"fmt"
	"time"
)

func producer(items chan<- int, n int) {
	for i := 1; i <= n; i++ {
		start := time.Now()
		items <- i // waits for a receiver (unbuffered) or for room in the buffer
		fmt.Printf("sent %d after waiting %v (len %d/%d)\n", i, time.Since(start).Round(time.Millisecond), len(items), cap(items))
	}
	close(items) // the sender closes, never the receiver
}

func consume(items <-chan int) {
	for v := range items { // ends once items is closed and drained
		time.Sleep(30 * time.Millisecond) // a slow consumer
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

	// Receiving from a closed, drained channel returns at once with the zero value and ok == false.
	v, ok := <-buffered
	fmt.Printf("after close: v=%d ok=%v\n", v, ok)

	// A send nobody will ever receive blocks forever. When no goroutine can run any more, Go stops the program
	// with "fatal error: all goroutines are asleep - deadlock!". Uncomment the two lines to see it:
	// results := make(chan int)
	// results <- 42
}
