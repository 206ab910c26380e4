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
	Solver string `json:"solver"` // "exact" or "greedy"
	matching.Allocation
	Problem *matching.Problem `json:"problem,omitempty"`
}

// solve reads a batch assignment instance (see the matching package
// documentation for the format) from the file named by args, or from stdin
// when the name is "-", solves it and writes a solveOutput as JSON to
// stdout. The args are the words after the subcommand's name:
//
//	solve [-greedy] [-problem] [-indent] <file|->
//
// -greedy uses the greedy baseline instead of the exact solver; -problem
// adds the derived problem (slots and eligible pairs with their costs);
// -indent indents the JSON. Usage and errors go to stderr as well as being
// returned; a bad instance is reported as a *matching.FieldError.
func solve(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("solve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	greedy := fs.Bool("greedy", false, "use the greedy baseline instead of the exact solver")
	withProblem := fs.Bool("problem", false, "include the derived problem (slots, eligible pairs, costs)")
	indent := fs.Bool("indent", false, "indent the JSON output")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: solve [-greedy] [-problem] [-indent] <instance.json|->")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("solve: give exactly one instance file, or - for stdin")
	}
	out, err := solveFile(fs.Arg(0), stdin, *greedy, *withProblem)
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

func solveFile(name string, stdin io.Reader, greedy, withProblem bool) (*solveOutput, error) {
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
	out := &solveOutput{Solver: "exact"}
	var sol matching.Solution
	if greedy {
		out.Solver = "greedy"
		sol, err = p.SolveGreedy()
	} else {
		sol, err = p.Solve()
	}
	if err != nil {
		return nil, err
	}
	out.Allocation = p.Allocation(sol)
	if withProblem {
		out.Problem = p
	}
	return out, nil
}
