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

func newBatch(name string, services []matching.Service, requests []matching.Request) (*batch, error) {
	b := &batch{name: name, services: services, requests: requests}
	var err error
	if b.index, err = matching.NewIndex(b.services, matching.DefaultConfig()); err != nil {
		return nil, err
	}
	if b.problem, err = b.index.BuildProblem(b.requests); err != nil {
		return nil, err
	}
	return b, nil
}

// directoryBatch is nRequests requests against the synthetic directory of nServices services.
func directoryBatch(nServices, nRequests int) (*batch, error) {
	return newBatch(fmt.Sprintf("%s requests x %s services", thousands(nRequests), thousands(nServices)),
		matchgen.Directory(1, nServices), matchgen.Requests(2, nRequests, nServices))
}

// homeCareBatch is matchgen's scarce home care hours.
func homeCareBatch(nServices, nRequests int) (*batch, error) {
	services, requests := matchgen.HomeCare(7, nRequests, nServices)
	return newBatch(fmt.Sprintf("home care: %s requests x %s agencies", thousands(nRequests), thousands(nServices)), services, requests)
}

func main() {
	testing.Init()
	benchtime := flag.Duration("benchtime", time.Second, "how long to run each benchmark")
	glpk := flag.Duration("glpk", 0, "also solve each batch with glpsol (Debian's glpk-utils) for at most this long, for a proven optimum")
	glpkEdges := flag.Int("glpk-edges", 5000, "only give glpsol batches of at most this many eligible pairs")
	flag.Parse()
	if err := flag.Set("test.benchtime", benchtime.String()); err != nil {
		fail(err)
	}
	var batches []*batch
	for _, make := range []func() (*batch, error){
		func() (*batch, error) { return directoryBatch(5000, 1000) },
		func() (*batch, error) { return directoryBatch(5000, 5000) },
		func() (*batch, error) { return directoryBatch(25000, 5000) },
		func() (*batch, error) { return homeCareBatch(20, 100) },
		func() (*batch, error) { return homeCareBatch(200, 1000) },
	} {
		b, err := make()
		if err != nil {
			fail(err)
		}
		batches = append(batches, b)
	}
	large := batches[2]
	national := matchgen.Directory(1, 100_000)
	nationalRequests := matchgen.Requests(2, 1000, 100_000)

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
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	nationalIndex, err := matching.NewIndex(national, matching.DefaultConfig())
	if err != nil {
		fail(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	row("match one request against 100,000 services", func() error {
		next++
		return nationalIndex.MatchInto(&nationalRequests[next%len(nationalRequests)], &res)
	})
	row("build the index of 100,000 services", func() error {
		_, err := matching.NewIndex(national, matching.DefaultConfig())
		return err
	})
	for _, bt := range []*batch{batches[0], batches[2], batches[4]} {
		row("allocate "+bt.name+" (end to end: eligibility, slot model, fill)", func() error {
			_, err := bt.index.Allocate(bt.requests)
			return err
		})
		row("of which the slot model's exact solve, "+bt.name, func() error {
			_, err := bt.problem.Solve()
			return err
		})
	}
	fmt.Printf("\nThe index of 100,000 services holds %s MB of heap beyond the services themselves.\n",
		thousands(int((after.HeapAlloc-before.HeapAlloc)>>20)))

	fmt.Println("\n| batch | solver | served | share served | bound on served | placed first-ranked | mean score of those served | weekly cost | total cost (rankCost) | time |")
	fmt.Println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, bt := range batches {
		p := bt.problem
		type outcome struct {
			name  string
			sol   matching.Solution
			bound string
			took  time.Duration
		}
		timed := func(f func() (matching.Solution, error)) (matching.Solution, time.Duration) {
			start := time.Now()
			sol, err := f()
			if err != nil {
				fail(err)
			}
			return sol, time.Since(start)
		}
		var outcomes []outcome
		add := func(name string, f func() (matching.Solution, error)) {
			sol, took := timed(f)
			outcomes = append(outcomes, outcome{name: name, sol: sol, took: took})
		}
		add("slot model, price and distance (before)", p.PriceDistanceModel().Solve)
		add("slot model, ranking's cost", p.Solve)
		add("greedy on slots", p.SolveGreedy)
		add("first-fit on calendars", p.SolveFirstFit)
		var proof matching.Proof
		add("fill on calendars (now)", func() (matching.Solution, error) {
			sol, pr, err := p.Fill(matching.DefaultEffort())
			proof = pr
			return sol, err
		})
		outcomes[len(outcomes)-1].bound = thousands(proof.ServedBound)
		if proof.Optimal {
			outcomes[len(outcomes)-1].bound += " (optimal)"
		}
		for _, o := range outcomes {
			if err := p.Feasible(o.sol); err != nil {
				fail(fmt.Errorf("%s, %s: %w", bt.name, o.name, err))
			}
			a := p.Allocation(o.sol)
			fmt.Printf("| %s | %s | %s | %.1f%% | %s | %s | %.1f | £%s | %s | %s |\n", bt.name, o.name, thousands(a.Served),
				100*float64(a.Served)/float64(len(bt.requests)), o.bound, thousands(a.FirstRanked),
				float64(a.TotalScore)/1000/float64(max(a.Served, 1)), thousands(int(a.TotalWeeklyCostPence/100)),
				thousands(int(a.TotalCost)), duration(o.took.Nanoseconds()))
		}
		if *glpk > 0 && len(p.Edges) <= *glpkEdges {
			g, err := solveGLPK(p, *glpk)
			if err != nil {
				fail(err)
			}
			proved := "not proved optimal in " + glpk.String()
			if g.optimal {
				proved = "proved optimal"
			}
			fmt.Printf("| %s | GLPK integer program (%s) | %s | %.1f%% | | | | | %s | %s |\n", bt.name, proved, thousands(g.served),
				100*float64(g.served)/float64(len(bt.requests)), thousands(int(g.cost)), duration(g.took.Nanoseconds()))
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
