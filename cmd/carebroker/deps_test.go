package main

import (
	"os/exec"
	"strings"
	"testing"
)

// testOnly are the packages the production binary must not link: the
// testing package (its flags and init would ship in the server) and our
// helpers built on it, which make and drop databases and Redis keys.
var testOnly = []string{
	"testing",
	"github.com/carebroker/carebroker/internal/pgtest",
	"github.com/carebroker/carebroker/internal/redisx/redistest",
}

// TestTheBinaryDoesNotLinkTesting asks the go command what the carebroker
// binary links (go list -deps, without tests) and fails naming the
// test-only package it finds and the package that imports it.
func TestTheBinaryDoesNotLinkTesting(t *testing.T) {
	t.Parallel()
	// go test puts its own GOROOT/bin first on the PATH, so this is the
	// toolchain running the test.
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	forbidden := map[string]bool{}
	for _, p := range testOnly {
		forbidden[p] = true
	}
	linked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		linked++
		for _, imp := range fields[1:] {
			if forbidden[imp] {
				t.Errorf("the binary links %s: %s imports it", imp, fields[0])
			}
		}
	}
	if linked < 50 { // the binary links gin, gorm, pgx and more: a short list means go list failed quietly
		t.Fatalf("go list named only %d packages:\n%s", linked, out)
	}
}
