// 第 25 课：包在处理函数外面的洋葱式中间件：日志、恢复、请求 id、鉴权和超时；
// 服务器自身对付慢客户端的超时；以及让正在处理的请求做完的优雅 Shutdown。
//
// 启动：go run main.go -addr 127.0.0.1:8080
// 试试：curl -i http://127.0.0.1:8080/hello
//
//	curl -i http://127.0.0.1:8080/admin                                  （401：没有令牌）
//	curl -i -H 'Authorization: Bearer lab-secret' http://127.0.0.1:8080/admin
//	curl -i http://127.0.0.1:8080/panic                                  （recovery 返回 500）
//	curl -i 'http://127.0.0.1:8080/slow?ms=3000'                         （超时返回 503）
//	然后在 /slow 请求运行时按 Ctrl-C：它会在服务器退出前完成。
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

// chain 包装 h，让第一个中间件成为最外层：chain(h, a, b) 就是 a(b(h))。
func chain(h http.Handler, layers ...middleware) http.Handler {
	for i := len(layers) - 1; i >= 0; i-- {
		h = layers[i](h)
	}
	return h
}

// statusRecorder 记住处理函数写出的状态码，供日志行使用。
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
			// http.ErrAbortHandler 是 net/http 自己中止响应的方式：放它过去。
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
				return // 内层永远不会运行
			}
			next.ServeHTTP(w, r)
		})
	}
}

func timeout(d time.Duration) middleware {
	return func(next http.Handler) http.Handler {
		// 过了 d 之后 next 仍在运行时，TimeoutHandler 应答 503；next 之后的写会得到 ErrHandlerTimeout。
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
		case <-r.Context().Done(): // 超时了或客户端放弃了：停止工作
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
		// 客户端发送请求头部的时限：一点点发送首部的 slowloris 客户端会被切断。
		ReadHeaderTimeout: 3 * time.Second,
		// 整个请求，包括正文。
		ReadTimeout: 10 * time.Second,
		// 从头部结束到响应写完。
		WriteTimeout: 10 * time.Second,
		// keep-alive 连接等待下一个请求的最长时间。
		IdleTimeout: 60 * time.Second,
	}

	done := make(chan struct{})
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, os.Interrupt)
		<-stop
		// Shutdown 关闭监听套接字，然后等待正在处理的请求完成（或等到 ctx 过期）。
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
