// Exercise 12 in Go: a worker pool that bounds concurrency.
//
// fetchAll asks a server for every id, one connection per id. Starting a goroutine per id is easy, but with
// 10,000 ids that is 10,000 sockets at once: the server (or the file-descriptor limit) gives out first.
// Make fetchAll keep at most `workers` connections open at the same time, and still use all of them.
// fetchOne and main are complete; change fetchAll only.
//
// Run it:  go run start.go -addr 127.0.0.1:7451 -workers 4 -ids 1,2,3,4,5,6,7,8
// Check it (the lab is the server, and counts your connections):
//   npm run lab -- go check lessons/12-bounded-dialer/start.go
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"net"
	"strconv"
	"strings"
	"sync"
)

// fetchOne dials addr, sends "<id>\n" and returns the one-line reply. Complete and correct: use it as it is.
func fetchOne(addr string, id int) (string, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := fmt.Fprintf(conn, "%d\n", id); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(line), nil
}

// fetchAll fetches every id with at most `workers` connections open at once. results[i] is the reply for ids[i]
// (or "error: ..." if that request failed). It returns once every id is done, leaving no goroutine behind.
func fetchAll(addr string, ids []int, workers int) []string {
	results := make([]string, len(ids))
	var wg sync.WaitGroup
	// TODO: one goroutine per id, all at once. Bound it to `workers`.
	for i, id := range ids {
		wg.Add(1)
		go func(i, id int) {
			defer wg.Done()
			reply, err := fetchOne(addr, id)
			if err != nil {
				reply = "error: " + err.Error()
			}
			results[i] = reply
		}(i, id)
	}
	wg.Wait()
	return results
}

// parseIDs reads "7,3,11" into [7 3 11]; an empty string is no ids.
func parseIDs(s string) ([]int, error) {
	var ids []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		id, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("id %q: %w", f, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:7451", "address of the server to fetch from")
	workers := flag.Int("workers", 4, "most connections open at once")
	list := flag.String("ids", "1,2,3,4,5,6,7,8", "ids to fetch, separated by commas")
	flag.Parse()
	ids, err := parseIDs(*list)
	if err != nil {
		log.Fatal(err)
	}
	// One line per id, in the order of the ids.
	for _, reply := range fetchAll(*addr, ids, *workers) {
		fmt.Println(reply)
	}
}
