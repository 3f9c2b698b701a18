// Lesson 8: three ways for goroutines to share a counter. Without a lock increments get lost (a data race:
// `go run -race main.go` reports it); a Mutex makes each read-modify-write exclusive; a channel hands every
// increment to the one goroutine that owns the counter.
package main

import (
	"fmt"
	"sync"
	"time"
)

const (
	workers   = 10
	perWorker = 20
)

// pause widens the gap between reading the counter and writing it back, as real work (or I/O) would.
func pause() { time.Sleep(100 * time.Microsecond) }

func unsynchronised() int {
	counter := 0
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				v := counter // read
				pause()
				counter = v + 1 // write: another goroutine may have written in between
			}
		}()
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
		go func() {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				mu.Lock()
				v := counter
				pause()
				counter = v + 1
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return counter
}

// withOwner shares the counter by communicating: only the owner goroutine ever touches it.
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
		go func() {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				pause()
				increments <- 1
			}
		}()
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
