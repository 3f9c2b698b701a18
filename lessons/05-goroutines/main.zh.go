// 第 5 课：goroutine 与线程。直接运行，会看到五个任务先一个接一个完成，再并发完成；
// 加 -measure 运行，会以 JSON 打印 goroutine 和操作系统线程在这台机器上的开销（实验室就是这样做的，
// 并把这些数字显示在课程页面上）。
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
	time.Sleep(d) // 代替 I/O：一次请求、一次查询、一次磁盘读取
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
		}(i) // 传入 i：每个 goroutine 得到自己的副本
	}
	wg.Wait()
	fmt.Printf("concurrent: %d tasks of %v took %v\n", n, d, time.Since(start).Round(time.Millisecond))
}

// Cost 是 -measure 打印的内容：实验室会读取它。
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

// memInUse 是 Go 运行时为栈和存活的堆对象持有的内存。
func memInUse() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.StackInuse + m.HeapAlloc
}

// procStatus 读取 /proc/self/status 中一个 `Name:   value kB` 字段（Linux），单位是字节，或者是一个计数。
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

	// 阻塞在通道接收上的 goroutine：它们占用了多少。
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

	// 启动并结束 n 个 goroutine。
	start := time.Now()
	var done sync.WaitGroup
	done.Add(n)
	for i := 0; i < n; i++ {
		go done.Done()
	}
	done.Wait()
	c.SpawnPerSecond = float64(n) / time.Since(start).Seconds()

	// 操作系统线程：一个把自己锁在线程上并阻塞的 goroutine 独占那个线程，
	// 所以运行时必须为其他一切另起一个线程。
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
