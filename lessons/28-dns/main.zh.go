// 第 28 课：DNS 及其错误。一个使用 Go 自己的解析器（PreferGo）的 net.Resolver，把每个查询都发往实验室的
// DNS 服务器（它的 Dial 忽略 /etc/resolv.conf 里的服务器），查找几个结局各不相同的名字：有回答、CNAME、
// NXDOMAIN、SERVFAIL、完全没有回答，以及 UDP 装不下的回答。
//
// 运行：go run main.go -server 127.0.0.1:<实验室的 DNS 端口>
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"strings"
	"time"
)

// lookupName 是查找的 context 携带名字所用的键，这样 Dial 就能说出它在为哪次查找服务。
type lookupName struct{}

func main() {
	server := flag.String("server", "127.0.0.1:53", "the DNS server to ask (the lab's, from its banner)")
	names := flag.String("names", "shop.lab.test,www.lab.test,nothere.lab.test,broken.lab.test,silent.lab.test,big.lab.test",
		"comma-separated names to look up")
	timeout := flag.Duration("timeout", 1500*time.Millisecond, "how long one lookup may take")
	flag.Parse()

	resolver := &net.Resolver{
		// 使用 Go 自己的解析器，而不是 C 库的：它自己读取回答，并调用下面的 Dial。
		PreferGo: true,
		// Go 先以 udp 网络调用它，回答被截断（TC 位）时再以 tcp 网络调用。
		Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
			name, _ := ctx.Value(lookupName{}).(string)
			fmt.Printf("  dial %s %s (for %s)\n", network, *server, name)
			var d net.Dialer
			return d.DialContext(ctx, network, *server)
		},
	}

	for _, name := range strings.Split(*names, ",") {
		// 末尾加一个点：名字是完整的，解析器就不会再尝试 resolv.conf 里的搜索域。
		if !strings.HasSuffix(name, ".") {
			name += "."
		}
		lookup(resolver, name, *timeout)
	}
}

// lookup 解析一个名字，并打印 Go 如何报告结果。
func lookup(r *net.Resolver, name string, timeout time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	ctx = context.WithValue(ctx, lookupName{}, name)
	start := time.Now()
	addrs, err := r.LookupHost(ctx, name)
	took := time.Since(start).Round(time.Millisecond)
	if err == nil {
		shown := addrs
		if len(shown) > 4 {
			shown = append(shown[:4:4], fmt.Sprintf("... %d in all", len(addrs)))
		}
		fmt.Printf("lookup %s: ok %v in %v\n", name, shown, took)
		return
	}
	// 解析器的每个错误都是 *net.DNSError：它的字段说明是哪一种失败。
	var dnsErr *net.DNSError
	if !errors.As(err, &dnsErr) {
		fmt.Printf("lookup %s: error %q (not a DNSError) in %v\n", name, err.Error(), took)
		return
	}
	fmt.Printf("lookup %s: error %q err=%q IsNotFound=%t IsTimeout=%t IsTemporary=%t in %v\n",
		name, dnsErr.Error(), dnsErr.Err, dnsErr.IsNotFound, dnsErr.IsTimeout, dnsErr.IsTemporary, took)
	switch {
	case dnsErr.IsNotFound:
		fmt.Println("  -> the name does not exist: do not retry, tell the user")
	case dnsErr.IsTimeout:
		fmt.Println("  -> no answer in time: retry later, with backoff")
	case dnsErr.IsTemporary:
		fmt.Println("  -> a temporary failure (SERVFAIL is reported this way): retry later")
	}
}
