// 第 24 课：用 net/http 和 JSON 实现的小型 REST API：列出、获取、创建、更新和删除条目。
//
// 启动：go run main.go -addr 127.0.0.1:8080
// 试试：curl -i http://127.0.0.1:8080/items
//
//	curl -i -X POST -H 'Content-Type: application/json' -d '{"name":"milk"}' http://127.0.0.1:8080/items
//	curl -i -X PUT -H 'Content-Type: application/json' -d '{"name":"milk","done":true}' http://127.0.0.1:8080/items/3
//	curl -i -X DELETE http://127.0.0.1:8080/items/3
//
// Go 1.22 及以后可以用模式按方法和路径路由：
//
//	mux.HandleFunc("GET /items", list)
//	mux.HandleFunc("POST /items", create)
//	mux.HandleFunc("GET /items/{id}", get)      // id := r.PathValue("id")
//	mux.HandleFunc("PUT /items/{id}", update)
//	mux.HandleFunc("DELETE /items/{id}", remove)
//
// 本程序保持兼容 Go 1.19（Debian 的 Go）：两个普通模式，每个处理函数里按 r.Method 分支。
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"log"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// maxBody 是处理函数读取的最大请求正文；由 http.MaxBytesReader 强制执行。
const maxBody = 4096

type item struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
	Done bool   `json:"done"`
}

type store struct {
	mu     sync.Mutex
	items  map[int]item
	nextID int
}

// writeJSON 以 JSON 发送 v 并带上状态码。首部必须在 WriteHeader 之前设置；之后设置会被忽略。
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	// Encode 写出 JSON 和一个换行。这里出错说明客户端已经离开：没有什么可以再告诉它的了。
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("writing response: %v", err)
	}
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// readItem 把至多 maxBody 字节的 JSON 正文解码为条目；做不到时给出应答用的状态码。
func readItem(w http.ResponseWriter, r *http.Request) (item, int, error) {
	var in item
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		return in, http.StatusUnsupportedMediaType, errors.New("send Content-Type: application/json")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return in, http.StatusRequestEntityTooLarge, err
		}
		return in, http.StatusBadRequest, err
	}
	if strings.TrimSpace(in.Name) == "" {
		return in, http.StatusUnprocessableEntity, errors.New(`"name" must not be empty`)
	}
	return in, 0, nil
}

func (s *store) list(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		s.mu.Lock()
		list := make([]item, 0, len(s.items))
		for id := 1; id < s.nextID; id++ {
			if it, ok := s.items[id]; ok {
				list = append(list, it)
			}
		}
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, list)
	case http.MethodPost:
		in, status, err := readItem(w, r)
		if err != nil {
			writeError(w, status, err.Error())
			return
		}
		s.mu.Lock()
		in.ID = s.nextID
		s.nextID++
		s.items[in.ID] = in
		s.mu.Unlock()
		w.Header().Set("Location", "/items/"+strconv.Itoa(in.ID))
		writeJSON(w, http.StatusCreated, in)
	default:
		w.Header().Set("Allow", "GET, POST")
		writeError(w, http.StatusMethodNotAllowed, "method not allowed")
	}
}

func (s *store) item(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/items/"))
	if err != nil {
		writeError(w, http.StatusBadRequest, "the id must be a number")
		return
	}
	switch r.Method {
	case http.MethodGet:
		s.mu.Lock()
		it, ok := s.items[id]
		s.mu.Unlock()
		if !ok {
			writeError(w, http.StatusNotFound, "no such item")
			return
		}
		writeJSON(w, http.StatusOK, it)
	case http.MethodPut:
		in, status, err := readItem(w, r)
		if err != nil {
			writeError(w, status, err.Error())
			return
		}
		s.mu.Lock()
		_, ok := s.items[id]
		if ok {
			in.ID = id
			s.items[id] = in
		}
		s.mu.Unlock()
		if !ok {
			writeError(w, http.StatusNotFound, "no such item")
			return
		}
		writeJSON(w, http.StatusOK, in)
	case http.MethodDelete:
		s.mu.Lock()
		_, ok := s.items[id]
		delete(s.items, id)
		s.mu.Unlock()
		if !ok {
			writeError(w, http.StatusNotFound, "no such item")
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		w.Header().Set("Allow", "GET, PUT, DELETE")
		writeError(w, http.StatusMethodNotAllowed, "method not allowed")
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	s := &store{items: map[int]item{}, nextID: 1}
	for _, name := range []string{"learn HTTP", "read the bytes"} {
		s.items[s.nextID] = item{ID: s.nextID, Name: name}
		s.nextID++
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/items", s.list)
	mux.HandleFunc("/items/", s.item)
	log.Printf("listening on http://%s/items", *addr)
	log.Fatal(http.ListenAndServe(*addr, mux))
}
