// Lesson 28: DNS and its errors. A net.Resolver that uses Go's own resolver (PreferGo) and sends every query to
// the lab's DNS server (its Dial ignores the servers in /etc/resolv.conf), looking up names that each end
// differently: an answer, a CNAME, NXDOMAIN, SERVFAIL, no answer at all, and an answer too big for UDP.
//
// Run it: go run main.go -server 127.0.0.1:<the lab's DNS port>
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

// lookupName is the key under which a lookup's context carries its name, so Dial can say which lookup it serves.
type lookupName struct{}

func main() {
	server := flag.String("server", "127.0.0.1:53", "the DNS server to ask (the lab's, from its banner)")
	names := flag.String("names", "shop.lab.test,www.lab.test,nothere.lab.test,broken.lab.test,silent.lab.test,big.lab.test",
		"comma-separated names to look up")
	timeout := flag.Duration("timeout", 1500*time.Millisecond, "how long one lookup may take")
	flag.Parse()

	resolver := &net.Resolver{
		// Go's own resolver, not the C library's: it reads the answers itself, and calls Dial below.
		PreferGo: true,
		// Go passes "udp" first, and "tcp" when an answer came back truncated (the TC bit).
		Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
			name, _ := ctx.Value(lookupName{}).(string)
			fmt.Printf("  dial %s %s (for %s)\n", network, *server, name)
			var d net.Dialer
			return d.DialContext(ctx, network, *server)
		},
	}

	for _, name := range strings.Split(*names, ",") {
		// A final dot: the name is complete, so the resolver does not try the search domains of resolv.conf.
		if !strings.HasSuffix(name, ".") {
			name += "."
		}
		lookup(resolver, name, *timeout)
	}
}

// lookup resolves one name and prints how Go reports the outcome.
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
	// Every resolver error is a *net.DNSError: its fields say what kind of failure it was.
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
