// Tests of lesson 18's breaker on a clock the test moves: it opens after the threshold of failures in the window,
// fails fast while open, lets probes through after the cool-down, and closes on their success.
package main

import (
	"errors"
	"testing"
	"time"
)

func TestBreakerStateMachine(t *testing.T) {
	now := time.Unix(1000, 0)
	var changes []string
	b := &breaker{threshold: 3, window: time.Second, openFor: 500 * time.Millisecond, probes: 1,
		now:      func() time.Time { return now },
		onChange: func(from, to state) { changes = append(changes, from.String()+">"+to.String()) }}
	fail := func() {
		gen, err := b.allow()
		if err != nil {
			t.Fatalf("allow refused while %s: %v", b.state, err)
		}
		b.done(gen, false)
	}
	fail()
	fail()
	now = now.Add(1100 * time.Millisecond) // the first two fall out of the window
	fail()
	fail()
	if b.state != closed {
		t.Fatalf("state = %s after 2 failures in the window, want closed", b.state)
	}
	fail()
	if b.state != open {
		t.Fatalf("state = %s after 3 failures in the window, want open", b.state)
	}
	if _, err := b.allow(); !errors.Is(err, errOpen) {
		t.Fatalf("allow while open = %v, want errOpen", err)
	}
	now = now.Add(500 * time.Millisecond)
	gen, err := b.allow()
	if err != nil || b.state != halfOpen {
		t.Fatalf("after the cool-down: err %v, state %s; want a probe while half-open", err, b.state)
	}
	if _, err := b.allow(); !errors.Is(err, errOpen) {
		t.Fatal("a second probe passed; only one may be out")
	}
	b.done(gen, true)
	want := []string{"closed>open", "open>half-open", "half-open>closed"}
	if len(changes) != len(want) {
		t.Fatalf("changes = %v, want %v", changes, want)
	}
	for i := range want {
		if changes[i] != want[i] {
			t.Fatalf("changes = %v, want %v", changes, want)
		}
	}
}
