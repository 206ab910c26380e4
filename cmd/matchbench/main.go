// Command matchbench measures the matching engine on deterministic synthetic Greater Manchester
// data and prints Markdown tables: time and allocations per operation, and the exact batch
// allocation against the greedy baseline. `make bench` runs it after the package benchmarks.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/carebroker/carebroker/matching"
	"github.com/carebroker/carebroker/matching/matchgen"
)

// batch is one synthetic batch: a directory, its index, the requests and the derived problem.
type batch struct {
	name     string
	services []matching.Service
	requests []matching.Request
	index    *matching.Index
	problem  *matching.Problem
}

func newBatch(nServices, nRequests int) (*batch, error) {
	b := &batch{
		name:     fmt.Sprintf("%s requests x %s services", thousands(nRequests), thousands(nServices)),
		services: matchgen.Directory(1, nServices),
		requests: matchgen.Requests(2, nRequests, nServices),
	}
	var err error
	if b.index, err = matching.NewIndex(b.services, matching.DefaultConfig()); err != nil {
		return nil, err
	}
	if b.problem, err = b.index.BuildProblem(b.requests); err != nil {
		return nil, err
	}
	return b, nil
}

func main() {
	testing.Init()
	benchtime := flag.Duration("benchtime", time.Second, "how long to run each benchmark")
	flag.Parse()
	if err := flag.Set("test.benchtime", benchtime.String()); err != nil {
		fail(err)
	}
	small, err := newBatch(5000, 1000)
	if err != nil {
		fail(err)
	}
	large, err := newBatch(25000, 5000)
	if err != nil {
		fail(err)
	}

	fmt.Printf("# Matching engine benchmarks\n\n%s, %s/%s, GOMAXPROCS %d, %s.\n\n",
		time.Now().UTC().Format("2 January 2006"), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), runtime.Version())
	fmt.Println("| case | time/op | CPU/op | allocs/op | bytes/op |")
	fmt.Println("|---|---:|---:|---:|---:|")
	row := func(name string, op func() error) {
		// CPU time per operation, counted over every run testing.Benchmark makes, is steadier
		// than wall time on a machine shared with other work, and shows what parallel code costs.
		runs := 0
		before := cpuTime()
		r := testing.Benchmark(func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := op(); err != nil {
					b.Fatal(err)
				}
				runs++
			}
		})
		cpu := (cpuTime() - before) / time.Duration(max(runs, 1))
		fmt.Printf("| %s | %s | %s | %d | %s |\n", name, duration(r.NsPerOp()), duration(cpu.Nanoseconds()),
			r.AllocsPerOp(), thousands(int(r.AllocedBytesPerOp())))
	}
	var res matching.Result
	next := 0
	row("match one request against 25,000 services", func() error {
		next++
		return large.index.MatchInto(&large.requests[next%len(large.requests)], &res)
	})
	row("build the index of 25,000 services", func() error {
		_, err := matching.NewIndex(large.services, matching.DefaultConfig())
		return err
	})
	for _, bt := range []*batch{small, large} {
		row("allocate "+bt.name+" (exact, end to end)", func() error {
			_, err := bt.index.Allocate(bt.requests)
			return err
		})
		row("of which the exact solve, "+bt.name, func() error {
			_, err := bt.problem.Solve()
			return err
		})
		row("greedy baseline solve, "+bt.name, func() error {
			_, err := bt.problem.SolveGreedy()
			return err
		})
	}

	fmt.Println("\n| batch | eligible services per request | slots | solver | served | share served | total cost | cost per request served |")
	fmt.Println("|---|---:|---:|---|---:|---:|---:|---:|")
	for _, bt := range []*batch{small, large} {
		slots := 0
		for _, s := range bt.problem.Services {
			slots += s.Slots
		}
		eligible := float64(len(bt.problem.Edges)) / float64(len(bt.requests))
		exact, err := bt.problem.Solve()
		if err != nil {
			fail(err)
		}
		greedy, err := bt.problem.SolveGreedy()
		if err != nil {
			fail(err)
		}
		for _, s := range []struct {
			name string
			sol  matching.Solution
		}{{"exact", exact}, {"greedy", greedy}} {
			fmt.Printf("| %s | %.1f | %s | %s | %s | %.1f%% | %s | %s |\n", bt.name, eligible, thousands(slots), s.name,
				thousands(s.sol.Served), 100*float64(s.sol.Served)/float64(len(bt.requests)), thousands(int(s.sol.Cost)),
				thousands(int(s.sol.Cost/int64(max(s.sol.Served, 1)))))
		}
	}
}

// duration writes nanoseconds in the unit that suits them.
func duration(ns int64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.2f s", float64(ns)/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.1f ms", float64(ns)/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.1f µs", float64(ns)/1e3)
	}
	return fmt.Sprintf("%d ns", ns)
}

// cpuTime is the processor time the program has used, in user and system mode.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// thousands writes n with thousands separators.
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "matchbench:", err)
	os.Exit(1)
}
