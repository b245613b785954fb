// Skynet in Go, the original (github.com/atemerev/skynet): each goroutine spawns ten children over a tenth of its
// range, and the children send their sums to the parent over an unbuffered channel. Run by `./hilos skynet` beside
// Hilos' strands (GOMAXPROCS left to Go: every core). Prints "ms <best of 3>" and "sum <sum>".
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

func skynet(c chan int, num int, size int, div int) {
	if size == 1 {
		c <- num
		return
	}
	rc := make(chan int)
	sum := 0
	for i := 0; i < div; i++ {
		subNum := num + i*(size/div)
		go skynet(rc, subNum, size/div, div)
	}
	for i := 0; i < div; i++ {
		sum += <-rc
	}
	c <- sum
}

func main() {
	size := 1000000
	if len(os.Args) > 1 {
		size, _ = strconv.Atoi(os.Args[1])
	}
	best := time.Duration(1 << 62)
	sum := 0
	for round := 0; round < 3; round++ {
		start := time.Now()
		c := make(chan int)
		go skynet(c, 0, size, 10)
		sum = <-c
		if d := time.Since(start); d < best {
			best = d
		}
	}
	fmt.Printf("ms %.1f\n", float64(best.Nanoseconds())/1e6)
	fmt.Printf("sum %d\n", sum)
}
