// Lesson 25: middleware as an onion around a handler: logging, recovery, request id, auth and a timeout; the
// server's own timeouts against slow clients; and a graceful Shutdown that lets in-flight requests finish.
//
// Serve: go run main.go -addr 127.0.0.1:8080
// Try:   curl -i http://127.0.0.1:8080/hello
//
//	curl -i http://127.0.0.1:8080/admin                                  (401: no token)
//	curl -i -H 'Authorization: Bearer lab-secret' http://127.0.0.1:8080/admin
//	curl -i http://127.0.0.1:8080/panic                                  (500 from recovery)
//	curl -i 'http://127.0.0.1:8080/slow?ms=3000'                         (503 from the timeout)
//	then Ctrl-C while a /slow request runs: it finishes before the server exits.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"
)

type middleware func(http.Handler) http.Handler

// chain wraps h so that the first middleware is the outermost layer: chain(h, a, b) is a(b(h)).
func chain(h http.Handler, layers ...middleware) http.Handler {
	for i := len(layers) - 1; i >= 0; i-- {
		h = layers[i](h)
	}
	return h
}

// statusRecorder remembers the status a handler wrote, for the log line.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func logging(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		log.Printf("%s %s %s → %d in %v", w.Header().Get("X-Request-Id"), r.Method, r.URL.Path, rec.status, time.Since(start))
	})
}

func recovery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			// http.ErrAbortHandler is net/http's own way to abort a response: let it through.
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Printf("recovered: %v", v)
				http.Error(w, "internal server error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type ctxKey struct{}

func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if id == "" {
			b := make([]byte, 6)
			if _, err := rand.Read(b); err != nil {
				panic(err)
			}
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, id)))
	})
}

func auth(token string) middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/admin") && r.Header.Get("Authorization") != "Bearer "+token {
				w.Header().Set("WWW-Authenticate", "Bearer")
				http.Error(w, "unauthorized", http.StatusUnauthorized)
				return // the inner layers never run
			}
			next.ServeHTTP(w, r)
		})
	}
}

func timeout(d time.Duration) middleware {
	return func(next http.Handler) http.Handler {
		// TimeoutHandler answers 503 when next is still running after d; next's later writes get ErrHandlerTimeout.
		return http.TimeoutHandler(next, d, "timeout\n")
	}
}

func routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "hello")
	})
	mux.HandleFunc("/admin", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "welcome, admin")
	})
	mux.HandleFunc("/panic", func(w http.ResponseWriter, r *http.Request) {
		panic("handler panicked on purpose")
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		ms, _ := strconv.Atoi(r.URL.Query().Get("ms"))
		select {
		case <-time.After(time.Duration(ms) * time.Millisecond):
			fmt.Fprintf(w, "slept %d ms\n", ms)
		case <-r.Context().Done(): // the timeout or the client gave up: stop working
		}
	})
	return mux
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	handler := chain(routes(), logging, recovery, requestID, auth("lab-secret"), timeout(2*time.Second))
	srv := &http.Server{
		Addr:    *addr,
		Handler: handler,
		// A client gets this long to send the request's head: a slowloris client trickling headers is cut off.
		ReadHeaderTimeout: 3 * time.Second,
		// The whole request, body included.
		ReadTimeout: 10 * time.Second,
		// From the end of the head to the end of the response.
		WriteTimeout: 10 * time.Second,
		// How long a keep-alive connection may wait for its next request.
		IdleTimeout: 60 * time.Second,
	}

	done := make(chan struct{})
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, os.Interrupt)
		<-stop
		// Shutdown closes the listener, then waits for in-flight requests to finish (or for ctx to expire).
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			log.Printf("shutdown: %v", err)
		}
		close(done)
	}()

	log.Printf("listening on http://%s/hello", *addr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
	<-done
	log.Print("all in-flight requests finished; bye")
}
