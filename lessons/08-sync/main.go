// Lesson 8: three ways for goroutines to share a counter. Without a lock increments get lost (a data race:
// `go run -race main.go` reports it); a Mutex makes each read-modify-write exclusive; a channel hands every
// increment to the one goroutine that owns the counter.
//
// It is the program the lab runs in the browser (Programs: Shared counter, Counter owned by one goroutine):
// ten goroutines add 3 each, with a gap of 1–3 ms between reading the counter and writing it back.
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

// pause is goroutine w's gap before its k-th write: 1–3 ms, as real work (or I/O) between read and write would be.
func pause(w, k int) { time.Sleep(time.Duration(1+(w+k)%3) * time.Millisecond) }

func unsynchronised() int {
	counter := 0
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				v := counter // read
				pause(w, i)
				counter = v + 1 // write: another goroutine may have written in between
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
