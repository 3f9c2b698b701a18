// samecode checks that two Go files are the same program, comments aside: it scans both with go/scanner (which
// skips comments unless asked for them) and compares the token sequences. The lessons' content test runs it on
// every main.go and its Chinese copy main.zh.go, so the copy can differ from the original only in its comments.
//
//	go build -o samecode samecode.go && ./samecode main.go main.zh.go    # exit 0, no output: they match
package main

import (
	"fmt"
	"go/scanner"
	"go/token"
	"os"
)

type tok struct {
	pos token.Position
	tok token.Token
	lit string
}

func scan(fset *token.FileSet, name string) ([]tok, error) {
	src, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var s scanner.Scanner
	var errs scanner.ErrorList
	s.Init(fset.AddFile(name, -1, len(src)), src, func(pos token.Position, msg string) { errs.Add(pos, msg) }, 0)
	var out []tok
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		if t == token.SEMICOLON && lit == "\n" {
			lit = "" // an automatic semicolon: where a line ends is layout, not code
		}
		out = append(out, tok{fset.Position(pos), t, lit})
	}
	return out, errs.Err()
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: samecode original.go copy.go")
		os.Exit(2)
	}
	fset := token.NewFileSet()
	a, err := scan(fset, os.Args[1])
	if err == nil {
		var b []tok
		b, err = scan(fset, os.Args[2])
		if err == nil {
			for i := 0; i < len(a) || i < len(b); i++ {
				if i >= len(a) || i >= len(b) || a[i].tok != b[i].tok || a[i].lit != b[i].lit {
					at := func(ts []tok) string {
						if i >= len(ts) {
							return "end of file"
						}
						return fmt.Sprintf("%s %s %q", ts[i].pos, ts[i].tok, ts[i].lit)
					}
					fmt.Printf("the code differs, not just the comments:\n  %s\n  %s\n", at(a), at(b))
					os.Exit(1)
				}
			}
			return
		}
	}
	fmt.Fprintln(os.Stderr, err)
	os.Exit(2)
}
