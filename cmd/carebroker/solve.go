package main

import (
	"io"

	"github.com/carebroker/carebroker/matching"
)

// solve reads a batch assignment instance and writes the optimal assignment
// as JSON; see the matching package documentation for the format.
func solve(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	return matching.RunSolveCommand(args, stdin, stdout, stderr)
}
