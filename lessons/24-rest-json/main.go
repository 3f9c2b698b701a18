// Lesson 24: a small REST API with JSON in net/http: list, get, create, update and delete items.
//
// Serve: go run main.go -addr 127.0.0.1:8080
// Try:   curl -i http://127.0.0.1:8080/items
//
//	curl -i -X POST -H 'Content-Type: application/json' -d '{"name":"milk"}' http://127.0.0.1:8080/items
//	curl -i -X PUT -H 'Content-Type: application/json' -d '{"name":"milk","done":true}' http://127.0.0.1:8080/items/3
//	curl -i -X DELETE http://127.0.0.1:8080/items/3
//
// Go 1.22 and later route by method and path with patterns:
//
//	mux.HandleFunc("GET /items", list)
//	mux.HandleFunc("POST /items", create)
//	mux.HandleFunc("GET /items/{id}", get)      // id := r.PathValue("id")
//	mux.HandleFunc("PUT /items/{id}", update)
//	mux.HandleFunc("DELETE /items/{id}", remove)
//
// This program keeps to Go 1.19 (Debian's Go): two plain patterns, and a switch on r.Method in each handler.
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

// maxBody is the largest request body a handler reads; http.MaxBytesReader enforces it.
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

// writeJSON sends v as JSON with a status. Headers must be set before WriteHeader; after it they are ignored.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	// Encode writes the JSON and a newline. An error here means the client went away: nothing left to tell it.
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("writing response: %v", err)
	}
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// readItem decodes a JSON body of at most maxBody bytes into an item, with the status to answer when it cannot.
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
