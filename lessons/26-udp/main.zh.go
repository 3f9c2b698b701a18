// 第 26 课：回环上的 UDP。一个程序展示本课的四件事：
//  1. 数据报保留边界（三次写，三次读）；
//  2. 读缓冲区比数据报小时，数据报被悄悄截断（Linux：n = len(buf)，err = nil）；
//  3. 在 IPv4 上一个数据报最多携带 65,507 字节；
//  4. 丢包要由应用自己处理：序号、读超时和重试。
//
// 运行：go run main.go
package main

import (
	"errors"
	"fmt"
	"log"
	"net"
	"strconv"
	"strings"
	"time"
)

func main() {
	// 未连接的套接字：接收任何人发来的数据报，用 WriteTo 回复。
	server, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer server.Close()
	fmt.Println("echo server on", server.LocalAddr())

	boundaries(server)
	truncation(server)
	sizeLimit(server)
	retries(server)
}

// boundaries：三次写作为三个数据报到达，每次读恰好返回一个。
func boundaries(server net.PacketConn) {
	client := dial(server)
	defer client.Close()
	for _, m := range []string{"one", "two-two", "three-three-three"} {
		if _, err := client.Write([]byte(m)); err != nil {
			log.Fatal(err)
		}
	}
	buf := make([]byte, 65535)
	for i := 0; i < 3; i++ {
		n, from, err := server.ReadFrom(buf)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("read %d: %d bytes %q from %v\n", i+1, n, buf[:n], from)
	}
}

// truncation：把 100 字节的数据报读进 16 字节的缓冲区。在 Linux 上 Go 返回 n = 16、err = nil：
// 其余 84 字节丢了，而且没有任何提示。
func truncation(server net.PacketConn) {
	client := dial(server)
	defer client.Close()
	if _, err := client.Write([]byte(strings.Repeat("x", 100))); err != nil {
		log.Fatal(err)
	}
	small := make([]byte, 16)
	n, _, err := server.ReadFrom(small)
	fmt.Printf("sent 100 bytes, read into 16: n=%d err=%v\n", n, err)
}

// sizeLimit：65,535（IPv4 总长度）- 20（IP 头）- 8（UDP 头）= 65,507 字节。
func sizeLimit(server net.PacketConn) {
	client := dial(server)
	defer client.Close()
	for _, size := range []int{65507, 65508} {
		_, err := client.Write(make([]byte, size))
		fmt.Printf("write %d bytes: err=%v\n", size, err)
		if err == nil {
			buf := make([]byte, 65535)
			n, _, _ := server.ReadFrom(buf)
			fmt.Printf("  the server read %d bytes\n", n)
		}
	}
}

// retries：下面的服务器故意丢掉每个奇数号请求的第一份（像网络那样丢包）。
// 客户端给请求编号，等待 200 ms 接收对应的回复，没有就重发，最多三次。
func retries(server net.PacketConn) {
	go lossyEcho(server)
	client := dial(server)
	defer client.Close()
	buf := make([]byte, 1500)
	for seq := 1; seq <= 4; seq++ {
		request := fmt.Sprintf("%d:hello", seq)
		for attempt := 1; ; attempt++ {
			if _, err := client.Write([]byte(request)); err != nil {
				log.Fatal(err)
			}
			if err := client.SetReadDeadline(time.Now().Add(200 * time.Millisecond)); err != nil {
				log.Fatal(err)
			}
			n, err := client.Read(buf)
			var timeout net.Error
			if errors.As(err, &timeout) && timeout.Timeout() {
				fmt.Printf("request %d attempt %d: no reply in 200 ms\n", seq, attempt)
				if attempt == 3 {
					fmt.Printf("request %d: giving up\n", seq)
					break
				}
				continue
			}
			if err != nil {
				log.Fatal(err)
			}
			// 之前请求的迟到回复可能此时到达：靠序号区分。
			if reply := string(buf[:n]); strings.HasPrefix(reply, strconv.Itoa(seq)+":") {
				fmt.Printf("request %d attempt %d: reply %q\n", seq, attempt, reply)
				break
			}
		}
	}
}

// lossyEcho 回复每个请求，但奇数号请求的第一份除外。
func lossyEcho(server net.PacketConn) {
	seen := map[string]bool{}
	buf := make([]byte, 1500)
	for {
		n, from, err := server.ReadFrom(buf)
		if err != nil {
			return
		}
		request := string(buf[:n])
		seq, _ := strconv.Atoi(strings.SplitN(request, ":", 2)[0])
		if seq%2 == 1 && !seen[request] {
			seen[request] = true
			continue // 故意丢弃
		}
		if _, err := server.WriteTo(buf[:n], from); err != nil {
			return
		}
	}
}

// dial 创建已连接的 UDP 套接字：不发送任何握手，内核只记下对端。
func dial(server net.PacketConn) *net.UDPConn {
	conn, err := net.DialUDP("udp", nil, server.LocalAddr().(*net.UDPAddr))
	if err != nil {
		log.Fatal(err)
	}
	return conn
}
