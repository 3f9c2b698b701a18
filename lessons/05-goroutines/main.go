// Lesson 5: goroutines vs threads. Run it plain to see five tasks done one after another and then concurrently;
// run it with -measure to print, as JSON, what goroutines and OS threads cost on this machine (the lab does that
// and shows the figures on the lesson page).
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

func task(id int, d time.Duration) {
	time.Sleep(d) // stands in for I/O: a request, a query, a disk read
}

func demo() {
	const n = 5
	const d = 40 * time.Millisecond

	start := time.Now()
	for i := 0; i < n; i++ {
		task(i, d)
	}
	fmt.Printf("sequential: %d tasks of %v took %v\n", n, d, time.Since(start).Round(time.Millisecond))

	start = time.Now()
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			task(id, d)
		}(i) // pass i: each goroutine gets its own copy
	}
	wg.Wait()
	fmt.Printf("concurrent: %d tasks of %v took %v\n", n, d, time.Since(start).Round(time.Millisecond))
}

// Cost is what -measure prints: the lab reads it.
type Cost struct {
	By                       string  `json:"by"`
	Version                  string  `json:"version"`
	Count                    int     `json:"count"`
	BytesPerGoroutine        float64 `json:"bytesPerGoroutine"`
	SpawnPerSecond           float64 `json:"spawnPerSecond"`
	Threads                  int     `json:"threads"`
	RSSBytesPerThread        float64 `json:"rssBytesPerThread"`
	ThreadStackReservedBytes uint64  `json:"threadStackReservedBytes"`
}

// memInUse is the memory the Go runtime holds for stacks and live heap objects.
func memInUse() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.StackInuse + m.HeapAlloc
}

// procStatus reads one "Name:   value kB" field of /proc/self/status (Linux), in bytes or as a plain count.
func procStatus(field string) (uint64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		if !strings.HasPrefix(line, field+":") {
			continue
		}
		parts := strings.Fields(strings.TrimPrefix(line, field+":"))
		if len(parts) == 0 {
			break
		}
		v, err := strconv.ParseUint(parts[0], 10, 64)
		if err != nil {
			return 0, err
		}
		if len(parts) > 1 && parts[1] == "kB" {
			v *= 1024
		}
		return v, nil
	}
	return 0, fmt.Errorf("%s not found in /proc/self/status", field)
}

func measure(n, threads int) (Cost, error) {
	c := Cost{By: "go", Version: runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH, Count: n, Threads: threads}

	// Goroutines parked on a channel receive: what they hold.
	before := memInUse()
	release := make(chan struct{})
	var started sync.WaitGroup
	started.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			started.Done()
			<-release
		}()
	}
	started.Wait()
	after := memInUse()
	c.BytesPerGoroutine = float64(after-before) / float64(n)
	close(release)

	// Start and finish n goroutines.
	start := time.Now()
	var done sync.WaitGroup
	done.Add(n)
	for i := 0; i < n; i++ {
		go done.Done()
	}
	done.Wait()
	c.SpawnPerSecond = float64(n) / time.Since(start).Seconds()

	// OS threads: a goroutine that locks itself to its thread and blocks keeps that thread to itself,
	// so the runtime has to start another one for everything else.
	rssBefore, err := procStatus("VmRSS")
	if err != nil {
		return c, err
	}
	threadsBefore, _ := procStatus("Threads")
	hold := make(chan struct{})
	var locked sync.WaitGroup
	locked.Add(threads)
	for i := 0; i < threads; i++ {
		go func() {
			runtime.LockOSThread()
			locked.Done()
			<-hold
		}()
	}
	locked.Wait()
	time.Sleep(50 * time.Millisecond)
	rssAfter, _ := procStatus("VmRSS")
	threadsAfter, _ := procStatus("Threads")
	close(hold)
	made := int(threadsAfter) - int(threadsBefore)
	if made > 0 {
		c.RSSBytesPerThread = float64(rssAfter-rssBefore) / float64(made)
		c.Threads = made
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_STACK, &lim); err == nil {
		c.ThreadStackReservedBytes = lim.Cur
	}
	return c, nil
}

func main() {
	doMeasure := flag.Bool("measure", false, "print what goroutines and threads cost here, as JSON")
	n := flag.Int("n", 10000, "goroutines to measure")
	threads := flag.Int("threads", 200, "OS threads to measure")
	flag.Parse()
	if !*doMeasure {
		demo()
		return
	}
	c, err := measure(*n, *threads)
	if err != nil {
		fmt.Fprintln(os.Stderr, "measure:", err)
		os.Exit(1)
	}
	if err := json.NewEncoder(os.Stdout).Encode(c); err != nil {
		fmt.Fprintln(os.Stderr, "encode:", err)
		os.Exit(1)
	}
}
