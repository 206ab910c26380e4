package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/carebroker/carebroker/matching"
)

// solveOutput is what the solve command writes: the allocation, which
// solver made it, and, when asked for, the problem it solved so that
// another solver can check it.
type solveOutput struct {
	Solver string `json:"solver"` // "fill", "slots" or "greedy"
	matching.Allocation
	Problem *matching.Problem `json:"problem,omitempty"`
}

// solve reads a batch assignment instance (see the matching package
// documentation for the format) from the file named by args, or from stdin
// when the name is "-", solves it and writes a solveOutput as JSON to
// stdout. The args are the words after the subcommand's name:
//
//	solve [-slots | -greedy] [-problem] [-indent] <file|->
//
// By default the batch is filled on the real calendars (matching.Problem.Fill,
// with its proof); -slots solves the slot model exactly instead, and -greedy
// uses the greedy baseline on the slots; -problem
// adds the derived problem (slots and eligible pairs with their costs);
// -indent indents the JSON. Usage and errors go to stderr as well as being
// returned; a bad instance is reported as a *matching.FieldError.
func solve(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("solve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	greedy := fs.Bool("greedy", false, "use the greedy baseline on the slot model")
	slots := fs.Bool("slots", false, "solve the slot model exactly instead of filling the calendars")
	withProblem := fs.Bool("problem", false, "include the derived problem (slots, eligible pairs, costs)")
	indent := fs.Bool("indent", false, "indent the JSON output")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: solve [-slots | -greedy] [-problem] [-indent] <instance.json|->")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("solve: give exactly one instance file, or - for stdin")
	}
	solver := "fill"
	switch {
	case *greedy && *slots:
		return errors.New("solve: give -slots or -greedy, not both")
	case *greedy:
		solver = "greedy"
	case *slots:
		solver = "slots"
	}
	out, err := solveFile(fs.Arg(0), stdin, solver, *withProblem)
	if err != nil {
		fmt.Fprintln(stderr, "solve:", err)
		return err
	}
	enc := json.NewEncoder(stdout)
	if *indent {
		enc.SetIndent("", "  ")
	}
	return enc.Encode(out)
}

func solveFile(name string, stdin io.Reader, solver string, withProblem bool) (*solveOutput, error) {
	in := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		in = f
	}
	inst, err := matching.ReadInstance(in)
	if err != nil {
		return nil, err
	}
	ix, err := matching.NewIndex(inst.Services, inst.Config)
	if err != nil {
		return nil, err
	}
	p, err := ix.BuildProblem(inst.Requests)
	if err != nil {
		return nil, err
	}
	out := &solveOutput{Solver: solver}
	var sol matching.Solution
	var proof matching.Proof
	switch solver {
	case "greedy":
		sol, err = p.SolveGreedy()
	case "slots":
		sol, err = p.Solve()
	default:
		sol, proof, err = p.Fill(matching.DefaultEffort())
	}
	if err != nil {
		return nil, err
	}
	out.Allocation = p.Allocation(sol)
	if solver == "fill" {
		out.Proof = &proof
	}
	if withProblem {
		out.Problem = p
	}
	return out, nil
}
