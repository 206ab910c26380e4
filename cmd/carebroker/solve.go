package main

import (
	"fmt"
	"io"
)

func solve(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	return fmt.Errorf("solve: not wired yet")
}
