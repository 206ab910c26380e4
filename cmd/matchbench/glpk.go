package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/carebroker/carebroker/matching"
)

// glpkResult is GLPK's answer to a batch on the real calendars.
type glpkResult struct {
	served  int
	cost    int64
	optimal bool // GLPK proved it optimal within the time limit
	took    time.Duration
}

// solveGLPK writes the batch as an integer program in CPLEX LP format and solves it with glpsol
// (Debian's glpk-utils), for checking Fill against a proven optimum: one binary per eligible pair;
// each request placed at most once; for each service and each checkpoint of its calendar, the
// demands of the requests placed with it that have started by then within what is free; the
// objective serves the most requests and then costs the least, as Fill's does.
func solveGLPK(p *matching.Problem, limit time.Duration) (glpkResult, error) {
	dir, err := os.MkdirTemp("", "matchbench-glpk")
	if err != nil {
		return glpkResult{}, err
	}
	defer os.RemoveAll(dir)
	lp, out := filepath.Join(dir, "batch.lp"), filepath.Join(dir, "batch.out")
	f, err := os.Create(lp)
	if err != nil {
		return glpkResult{}, err
	}
	w := bufio.NewWriter(f)
	var most int64
	for _, e := range p.Edges {
		most = max(most, e.Cost)
	}
	bonus := most + 1
	fmt.Fprintln(w, "Minimize\n obj:")
	for k, e := range p.Edges {
		// Serving is worth more than any cost: minimise cost - bonus x served, in units that keep
		// the coefficients exact in a double.
		c := e.Cost - bonus*int64(len(p.Requests)+1)
		sign := "+"
		if c < 0 {
			sign, c = "-", -c
		}
		fmt.Fprintf(w, " %s %d x%d\n", sign, c, k)
	}
	fmt.Fprintln(w, "Subject To")
	byReq := make([][]int, len(p.Requests))
	bySvc := make([][]int, len(p.Services))
	for k, e := range p.Edges {
		byReq[e.Request] = append(byReq[e.Request], k)
		bySvc[e.Service] = append(bySvc[e.Service], k)
	}
	for r, ks := range byReq {
		if len(ks) == 0 {
			continue
		}
		fmt.Fprintf(w, " r%d:", r)
		for _, k := range ks {
			fmt.Fprintf(w, " + x%d", k)
		}
		fmt.Fprintln(w, " <= 1")
	}
	for s, ks := range bySvc {
		for i, point := range p.Services[s].Calendar {
			terms := 0
			for _, k := range ks {
				if p.Starts[p.Edges[k].Request] <= point.From {
					if terms == 0 {
						fmt.Fprintf(w, " s%d_%d:", s, i)
					}
					fmt.Fprintf(w, " + %d x%d", p.Demands[p.Edges[k].Request], k)
					terms++
				}
			}
			if terms > 0 {
				fmt.Fprintf(w, " <= %d\n", point.Free)
			}
		}
	}
	fmt.Fprintln(w, "Binaries")
	for k := range p.Edges {
		fmt.Fprintf(w, " x%d\n", k)
	}
	fmt.Fprintln(w, "End")
	if err := w.Flush(); err != nil {
		return glpkResult{}, err
	}
	if err := f.Close(); err != nil {
		return glpkResult{}, err
	}
	start := time.Now()
	cmd := exec.Command("glpsol", "--lp", lp, "--tmlim", strconv.Itoa(int(limit.Seconds())), "-o", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return glpkResult{}, fmt.Errorf("glpsol: %v: %s", err, msg)
	}
	res := glpkResult{took: time.Since(start)}
	text, err := os.ReadFile(out)
	if err != nil {
		return glpkResult{}, err
	}
	for _, line := range strings.Split(string(text), "\n") {
		fields := strings.Fields(line)
		switch {
		case strings.HasPrefix(line, "Status:"):
			res.optimal = strings.Contains(line, "INTEGER OPTIMAL")
		case len(fields) >= 4 && strings.HasPrefix(fields[1], "x") && fields[2] == "*" && fields[3] == "1":
			k, err := strconv.Atoi(fields[1][1:])
			if err != nil {
				return glpkResult{}, err
			}
			res.served++
			res.cost += p.Edges[k].Cost
		}
	}
	return res, nil
}
