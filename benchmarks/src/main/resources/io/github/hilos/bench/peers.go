// The chapter's two operations in Go, measured beside Hilos by `./hilos table` (run with GOMAXPROCS set by the
// caller): null fork (spawn a batch of goroutines that do nothing, then wait for them all: cost per goroutine)
// and signal-wait (two goroutines ping-pong over two unbuffered channels: cost per round trip). Prints
// "row <operation> <ns per op>..." lines, one sample per batch, as the Java side does.
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

func nullFork(n int) {
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func() { wg.Done() }()
	}
	wg.Wait()
}

func signalWait(n int) {
	ping := make(chan struct{})
	pong := make(chan struct{})
	done := make(chan struct{})
	go func() {
		for i := 0; i < n; i++ {
			<-ping
			pong <- struct{}{}
		}
		close(done)
	}()
	for i := 0; i < n; i++ {
		ping <- struct{}{}
		<-pong
	}
	<-done
}

func sample(op func(int), batch int, warm, budget time.Duration, minSamples, maxSamples int) []float64 {
	for end := time.Now().Add(warm); time.Now().Before(end); {
		op(batch)
	}
	var out []float64
	end := time.Now().Add(budget)
	for len(out) < maxSamples && (len(out) < minSamples || time.Now().Before(end)) {
		t0 := time.Now()
		op(batch)
		out = append(out, float64(time.Since(t0).Nanoseconds())/float64(batch))
	}
	return out
}

func main() {
	quick := len(os.Args) > 1 && os.Args[1] == "true"
	warm, budget := 800*time.Millisecond, 2500*time.Millisecond
	if quick {
		warm, budget = 150*time.Millisecond, 300*time.Millisecond
	}
	for _, c := range []struct {
		name  string
		op    func(int)
		batch int
	}{{"null-fork", nullFork, 1000}, {"signal-wait", signalWait, 20000}} {
		var b strings.Builder
		b.WriteString("row " + c.name)
		for _, v := range sample(c.op, c.batch, warm, budget, 5, 10000) {
			b.WriteString(" " + strconv.FormatFloat(v, 'f', 2, 64))
		}
		fmt.Println(b.String())
	}
}
