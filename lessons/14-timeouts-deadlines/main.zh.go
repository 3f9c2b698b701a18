// 第 14 课：在一条故意出故障的连接上使用超时和截止时间。
//
// 连接实验室的故障代理（课程页面显示这两个地址）：
//
//	go run main.go -proxy 127.0.0.1:PORT -control 127.0.0.1:CONTROL_PORT
//
// 单独运行 go run main.go 时，它会启动自己的服务器：接受连接，但从不应答（黑洞）。
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"time"
)

func main() {
	proxy := flag.String("proxy", "", "the fault proxy's address (empty: a silent server of this program's own)")
	control := flag.String("control", "", "the fault proxy's control address, to set a stall")
	flag.Parse()

	addr := *proxy
	if addr == "" {
		addr = silentServer()
	} else if *control != "" {
		// 停滞故障扣住服务器发回的字节；这条控制连接关闭时故障即被清除。
		c, err := setFault(*control, `{"fault":{"type":"stall"},"direction":"down"}`)
		if err != nil {
			fmt.Println("set fault:", err)
			return
		}
		defer c.Close()
	}

	// 拨号超时限制建立连接的时间（从 SYN 到握手完成）。在回环上，没有监听的端口会立即回应
	// （connection refused）；这个超时针对的是 SYN 得不到任何回应的对端。
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		fmt.Println("dial:", err)
		return
	}
	defer conn.Close()

	// 没有截止时间，读取会一直等到对端开口：也就是永远。
	go readWithoutDeadline(addr)

	// 有了截止时间，读取会在截止时间到达时以超时错误结束。
	start := time.Now()
	if err := conn.SetReadDeadline(time.Now().Add(500 * time.Millisecond)); err != nil {
		fmt.Println("set deadline:", err)
		return
	}
	if _, err := conn.Write([]byte("are you there?\n")); err != nil {
		fmt.Println("write:", err)
		return
	}
	_, err = bufio.NewReader(conn).ReadString('\n')
	fmt.Printf("read with a 500 ms deadline, after %v: %v\n", time.Since(start).Round(10*time.Millisecond), err)
	describe(err)

	// 分层：每次调用有自己的上限，请求的 context 则限制它所有调用的总时间。
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err = request(ctx, conn, "hello?", time.Second)
	fmt.Println("request (300 ms per request, 1 s per call):", err)

	// 让没有截止时间的 goroutine 在时间线上停留一会儿，然后任由它卡住。
	time.Sleep(time.Second)
	fmt.Println("main returns; the read without a deadline is still waiting")
}

// readWithoutDeadline 发送一行，然后在没有截止时间的情况下等待回应。
func readWithoutDeadline(addr string) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		fmt.Println("dial:", err)
		return
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("are you there?\n")); err != nil {
		return
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	fmt.Println("never printed while the peer is silent:", line, err)
}

// request 写入一行并读取回应，读取的截止时间取每次调用的上限与 context 截止时间中较早的一个。
// 截止时间是一个绝对时间：每次调用之前都要重新设置。
func request(ctx context.Context, conn net.Conn, line string, perCall time.Duration) (string, error) {
	deadline := time.Now().Add(perCall)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	if err := conn.SetDeadline(deadline); err != nil {
		return "", err
	}
	if _, err := conn.Write([]byte(line + "\n")); err != nil {
		return "", err
	}
	return bufio.NewReader(conn).ReadString('\n')
}

// describe 打印超时错误的组成。
func describe(err error) {
	var ne net.Error
	fmt.Println("  errors.As(err, &ne) && ne.Timeout():", errors.As(err, &ne) && ne.Timeout())
	fmt.Println("  errors.Is(err, os.ErrDeadlineExceeded):", errors.Is(err, os.ErrDeadlineExceeded))
}

// setFault 请故障代理的控制端点设置一个故障，并返回这条控制连接。
func setFault(control, rule string) (net.Conn, error) {
	c, err := net.DialTimeout("tcp", control, 2*time.Second)
	if err != nil {
		return nil, err
	}
	if _, err := fmt.Fprintf(c, "{\"action\":\"set\",\"rule\":%s}\n", rule); err != nil {
		c.Close()
		return nil, err
	}
	reply, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		c.Close()
		return nil, err
	}
	fmt.Print("fault set: ", reply)
	return c, nil
}

// silentServer 在一个空闲的回环端口上监听，接受连接，但从不应答。
func silentServer() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("listen:", err)
		os.Exit(1)
	}
	go func() {
		var held []net.Conn // 留住这些连接，让它们保持打开且沉默
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	return ln.Addr().String()
}
