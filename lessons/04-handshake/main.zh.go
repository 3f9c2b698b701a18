// 第 4 课：按本课展示的每一种方式在回环上打开和关闭 TCP 连接，
// 然后查看内核的套接字表。
//
// 运行一个场景：go run main.go -scenario half-close
// 运行全部场景：go run main.go
// 观察报文段：sudo tcpdump -n -i lo 'tcp port 9400 or tcp port 9401'（在另一个终端里）
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

var scenarios = []string{"client-closes", "server-closes", "refused", "half-close", "close-wait", "time-wait"}

func main() {
	which := flag.String("scenario", "all", "one of: "+strings.Join(scenarios, ", ")+", or all")
	port := flag.Int("port", 9400, "port of the demo server; the next port is the one nobody listens on")
	pause := flag.Duration("pause", 150*time.Millisecond, "pause between steps, so the states can be seen")
	flag.Parse()

	run := scenarios
	if *which != "all" {
		run = []string{*which}
	}
	for _, name := range run {
		fmt.Printf("\n=== %s ===\n", name)
		if err := runScenario(name, *port, *pause); err != nil {
			log.Fatalf("%s: %v", name, err)
		}
	}
}

func runScenario(name string, port int, pause time.Duration) error {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	switch name {
	case "refused":
		// 下一个端口上没人监听：内核用 RST 回应 SYN，Dial 立即报告。
		closed := net.JoinHostPort("127.0.0.1", strconv.Itoa(port+1))
		_, err := net.Dial("tcp", closed)
		fmt.Printf("dial %s: %v\n", closed, err)
		if err == nil {
			return errors.New("something is listening on the closed port")
		}
		return nil
	case "client-closes":
		return withServer(addr, echoUntilEOF, func() error { return clientClosesFirst(addr, "hello\n", pause) }, port, pause)
	case "time-wait":
		// 客户端先关闭的每条连接，都会在客户端一侧留下一个处于 TIME_WAIT 的套接字。
		return withServer(addr, echoUntilEOF, func() error {
			for i := 1; i <= 3; i++ {
				if err := clientClosesFirst(addr, fmt.Sprintf("request %d\n", i), pause); err != nil {
					return err
				}
			}
			return nil
		}, port, pause)
	case "server-closes":
		return withServer(addr, sayByeAndClose, func() error {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				return err
			}
			defer conn.Close()
			// ReadAll 在 EOF（服务器的 FIN）时返回。在我们 Close 之前，我们这一侧停在 CLOSE_WAIT。
			data, err := io.ReadAll(conn)
			fmt.Printf("client read %q, then EOF (err=%v)\n", data, err)
			time.Sleep(pause)
			return nil
		}, port, pause)
	case "half-close":
		return withServer(addr, replyAfterEOF, func() error {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				return err
			}
			defer conn.Close()
			if _, err := conn.Write([]byte("request\n")); err != nil {
				return err
			}
			// CloseWrite 发出我们的 FIN（“不再有请求了”），但连接仍然可以读。
			if err := conn.(*net.TCPConn).CloseWrite(); err != nil {
				return err
			}
			reply, err := io.ReadAll(conn)
			fmt.Printf("client read the reply after its own FIN: %q (err=%v)\n", reply, err)
			return nil
		}, port, pause)
	case "close-wait":
		var leaked []net.Conn
		var mu sync.Mutex
		buggy := func(conn net.Conn) {
			// 这就是 bug：处理函数在 EOF 时返回，却没有调用 conn.Close()。内核收到了客户端的 FIN，
			// 却永远等不到我们的：套接字停在 CLOSE_WAIT，占着一个文件描述符。
			io.Copy(io.Discard, conn)
			mu.Lock()
			leaked = append(leaked, conn)
			mu.Unlock()
		}
		err := withServer(addr, buggy, func() error {
			for i := 0; i < 5; i++ {
				conn, err := net.Dial("tcp", addr)
				if err != nil {
					return err
				}
				conn.Write([]byte("hello\n"))
				conn.Close()
			}
			time.Sleep(pause)
			printStates(port, "with the bug")
			// 修复：关闭处理函数忘了关的连接（真实代码里：在处理函数中 defer conn.Close()）。
			mu.Lock()
			for _, c := range leaked {
				c.Close()
			}
			mu.Unlock()
			time.Sleep(pause)
			return nil
		}, -1, pause)
		printStates(port, "after Close()")
		return err
	}
	return fmt.Errorf("unknown scenario %q", name)
}

// withServer 在 addr 上监听，用 handle 服务每个连接，运行客户端，并打印套接字状态。
func withServer(addr string, handle func(net.Conn), client func() error, port int, pause time.Duration) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	var wg sync.WaitGroup
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return // 监听器已关闭
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				handle(conn)
			}()
		}
	}()
	if err := client(); err != nil {
		return err
	}
	wg.Wait()
	time.Sleep(pause)
	if port > 0 {
		printStates(port, "afterwards")
	}
	return nil
}

// echoUntilEOF 是有礼貌的服务器：它回显数据，客户端关闭自己一侧后它也关闭自己一侧。
func echoUntilEOF(conn net.Conn) {
	defer conn.Close()
	io.Copy(conn, conn)
}

// sayByeAndClose 先关闭：这一侧要等过 TIME_WAIT。
func sayByeAndClose(conn net.Conn) {
	defer conn.Close()
	conn.Write([]byte("bye\n"))
}

// replyAfterEOF 读完整个请求（直到客户端的 FIN），然后分三次写入作答并关闭。
func replyAfterEOF(conn net.Conn) {
	defer conn.Close()
	io.Copy(io.Discard, conn)
	for i := 1; i <= 3; i++ {
		fmt.Fprintf(conn, "part %d of the reply\n", i)
	}
}

func clientClosesFirst(addr, message string, pause time.Duration) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	if _, err := conn.Write([]byte(message)); err != nil {
		conn.Close()
		return err
	}
	echo := make([]byte, len(message))
	if _, err := io.ReadFull(conn, echo); err != nil {
		conn.Close()
		return err
	}
	time.Sleep(pause)
	return conn.Close() // 我们的 FIN 先发出：这一侧最终停在 TIME_WAIT
}

// /proc/net/tcp 中的状态列，编号同 include/net/tcp_states.h。
var linuxStates = map[string]string{
	"01": "ESTABLISHED", "02": "SYN_SENT", "03": "SYN_RECV", "04": "FIN_WAIT1", "05": "FIN_WAIT2",
	"06": "TIME_WAIT", "07": "CLOSE", "08": "CLOSE_WAIT", "09": "LAST_ACK", "0A": "LISTEN", "0B": "CLOSING",
}

// printStates 列出任一端是 `port` 的内核 TCP 套接字（Linux；其他系统用 netstat -an）。
func printStates(port int, when string) {
	f, err := os.Open("/proc/net/tcp")
	if err != nil {
		fmt.Printf("(no /proc/net/tcp here: run  netstat -an -p tcp | grep %d)\n", port)
		return
	}
	defer f.Close()
	hexPort := fmt.Sprintf(":%04X", port)
	fmt.Printf("sockets on port %d %s:\n", port, when)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || fields[0] == "sl" {
			continue
		}
		local, remote, state := fields[1], fields[2], fields[3]
		if !strings.HasSuffix(local, hexPort) && !strings.HasSuffix(remote, hexPort) {
			continue
		}
		// fields[5] 是“timer:remaining”；timer 3 是 TIME_WAIT 的计时器（remaining 的单位是 1/100 s）。
		timer := ""
		if t := strings.SplitN(fields[5], ":", 2); len(t) == 2 && t[0] == "03" {
			if left, err := strconv.ParseInt(t[1], 16, 64); err == nil {
				timer = fmt.Sprintf("  (%.1f s left)", float64(left)/100)
			}
		}
		fmt.Printf("  %-21s -> %-21s %s%s\n", procAddr(local), procAddr(remote), linuxStates[state], timer)
	}
}

// procAddr 把 0100007F:1F90 变成 127.0.0.1:8080（地址按主机字节序打印；x86 和 arm64 都是小端序）。
func procAddr(s string) string {
	parts := strings.SplitN(s, ":", 2)
	if len(parts) != 2 || len(parts[0]) != 8 {
		return s
	}
	ip, err1 := strconv.ParseUint(parts[0], 16, 32)
	port, err2 := strconv.ParseUint(parts[1], 16, 16)
	if err1 != nil || err2 != nil {
		return s
	}
	return fmt.Sprintf("%d.%d.%d.%d:%d", ip&0xff, ip>>8&0xff, ip>>16&0xff, ip>>24, port)
}
