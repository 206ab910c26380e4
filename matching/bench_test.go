package matching_test

import (
	"sync"
	"testing"

	"github.com/carebroker/carebroker/matching"
	"github.com/carebroker/carebroker/matching/matchgen"
)

// Benchmarks on synthetic Greater Manchester data (see matchgen). Run with
//
//	go test -run '^$' -bench . -benchmem ./matching/
//
// cmd/matchbench runs the same cases and prints a table with the batch-versus-greedy comparison.

type fixture struct {
	services []matching.Service
	requests []matching.Request
	index    *matching.Index
	problem  *matching.Problem
}

var (
	fixtures   = map[[2]int]*fixture{}
	fixturesMu sync.Mutex
)

// load builds (once) a directory of nServices and nRequests requests, with its index and, when
// withProblem is set, the batch problem.
func load(b *testing.B, nServices, nRequests int, withProblem bool) *fixture {
	b.Helper()
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	key := [2]int{nServices, nRequests}
	f := fixtures[key]
	if f == nil {
		f = &fixture{services: matchgen.Directory(1, nServices), requests: matchgen.Requests(2, nRequests, nServices)}
		ix, err := matching.NewIndex(f.services, matching.DefaultConfig())
		if err != nil {
			b.Fatal(err)
		}
		f.index = ix
		fixtures[key] = f
	}
	if withProblem && f.problem == nil {
		p, err := f.index.BuildProblem(f.requests)
		if err != nil {
			b.Fatal(err)
		}
		f.problem = p
	}
	return f
}

// BenchmarkMatch25k matches one request at a time against 25,000 services, reusing the Result.
func BenchmarkMatch25k(b *testing.B) {
	f := load(b, 25000, 1000, false)
	var res matching.Result
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		req := &f.requests[i%len(f.requests)]
		if err := f.index.MatchInto(req, &res); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatch100k is the national scale: four times England's registered home care,
// residential and nursing locations.
func BenchmarkMatch100k(b *testing.B) {
	f := load(b, 100000, 1000, false)
	var res matching.Result
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		req := &f.requests[i%len(f.requests)]
		if err := f.index.MatchInto(req, &res); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewIndex25k(b *testing.B) {
	services := matchgen.Directory(1, 25000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := matching.NewIndex(services, matching.DefaultConfig()); err != nil {
			b.Fatal(err)
		}
	}
}

func benchAllocate(b *testing.B, nServices, nRequests int) {
	f := load(b, nServices, nRequests, false)
	b.ReportAllocs()
	b.ResetTimer()
	var alloc matching.Allocation
	for b.Loop() {
		var err error
		if alloc, err = f.index.Allocate(f.requests); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(alloc.Served), "served")
	b.ReportMetric(float64(alloc.TotalCost), "cost")
}

// BenchmarkAllocate1kx5k is the whole batch: eligibility, costs and the exact solve.
func BenchmarkAllocate1kx5k(b *testing.B)   { benchAllocate(b, 5000, 1000) }
func BenchmarkAllocate5kx25k(b *testing.B)  { benchAllocate(b, 25000, 5000) }
func BenchmarkSolveOnly5kx25k(b *testing.B) { benchSolve(b, 25000, 5000, false) }
func BenchmarkGreedyOnly5kx25k(b *testing.B) {
	benchSolve(b, 25000, 5000, true)
}

func benchSolve(b *testing.B, nServices, nRequests int, greedy bool) {
	f := load(b, nServices, nRequests, true)
	b.ReportAllocs()
	b.ResetTimer()
	var sol matching.Solution
	for b.Loop() {
		var err error
		if greedy {
			sol, err = f.problem.SolveGreedy()
		} else {
			sol, err = f.problem.Solve()
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(sol.Served), "served")
	b.ReportMetric(float64(sol.Cost), "cost")
}

// BenchmarkBuildProblem5kx25k is the eligibility and pricing part of a batch.
func BenchmarkBuildProblem5kx25k(b *testing.B) {
	f := load(b, 25000, 5000, false)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := f.index.BuildProblem(f.requests); err != nil {
			b.Fatal(err)
		}
	}
}
