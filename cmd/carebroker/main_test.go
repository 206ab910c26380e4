package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestSolveSubcommandWritesTheAssignment(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"solve", "../../matching/testdata/small_instance.json"}, nil, &out, &errOut); err != nil {
		t.Fatalf("solve: %v (%s)", err, errOut.String())
	}
	var res struct {
		Served      int `json:"served"`
		Assignments []struct {
			RequestID string `json:"request_id"`
		} `json:"assignments"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("solve did not print JSON: %v: %s", err, out.String())
	}
	if res.Served == 0 || res.Served != len(res.Assignments) {
		t.Fatalf("served %d with %d assignments", res.Served, len(res.Assignments))
	}
}

func TestUnknownCommandIsAnError(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"frobnicate"}, nil, &out, &errOut)
	if err == nil || !strings.Contains(errOut.String(), "usage") {
		t.Fatalf("unknown command: err %v, stderr %q", err, errOut.String())
	}
}
