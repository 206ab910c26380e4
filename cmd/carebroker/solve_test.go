package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/carebroker/carebroker/matching"
)

// smallInstance is the matching package's hand-checked instance.
const smallInstance = "../../matching/testdata/small_instance.json"

func runSolve(t *testing.T, stdin string, args ...string) (solveOutput, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := solve(args, strings.NewReader(stdin), &stdout, &stderr)
	var out solveOutput
	if err == nil {
		if jerr := json.Unmarshal(stdout.Bytes(), &out); jerr != nil {
			t.Fatalf("output is not JSON: %v\n%s", jerr, stdout.String())
		}
	}
	return out, stderr.String(), err
}

func assignedTo(out solveOutput) map[string]string {
	m := map[string]string{}
	for _, a := range out.Assignments {
		m[a.RequestID] = a.ServiceID
	}
	return m
}

// The small instance is built so the answers can be checked by hand. Ancoats and Salford each
// have one slot of 10 hours; Gorton has none. R1 lives 0.5 km from Ancoats and 3.7 km from
// Salford; R2 lives 1.8 km from Ancoats and beyond Salford's 5 km. R3 wants a care home, which no
// service offers. Greedy gives Ancoats to R1, its cheapest pair, and strands R2; the fill (and the
// slot model's exact solver) send R1 to Salford so both are served, and the fill proves it optimal.
func TestSolveCommandOnTheSmallInstance(t *testing.T) {
	t.Parallel()
	out, stderr, err := runSolve(t, "", smallInstance)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if out.Solver != "fill" || out.Requests != 3 || out.Served != 2 || out.Proof == nil || !out.Proof.Optimal {
		t.Fatalf("output = %+v", out)
	}
	want := map[string]string{"R1": "S-SALFORD", "R2": "S-ANCOATS"}
	if got := assignedTo(out); len(got) != 2 || got["R1"] != want["R1"] || got["R2"] != want["R2"] {
		t.Fatalf("assignments = %v, want %v", got, want)
	}
	if len(out.Unserved) != 1 || out.Unserved[0] != (matching.Unserved{RequestID: "R3", EligibleServices: 0}) {
		t.Fatalf("unserved = %+v", out.Unserved)
	}
	var sum, weekly int64
	for _, a := range out.Assignments {
		sum += a.Cost
		weekly += a.WeeklyCostPence
		if a.WeeklyCostPence != 20000 { // 10 hours at £20.00
			t.Errorf("%s costs %d pence a week, want 20000", a.RequestID, a.WeeklyCostPence)
		}
	}
	if out.TotalCost != sum || out.TotalWeeklyCostPence != weekly || out.Problem != nil {
		t.Fatalf("totals %d and %d, want %d and %d; problem %v", out.TotalCost, out.TotalWeeklyCostPence, sum, weekly, out.Problem)
	}

	slots, _, err := runSolve(t, "", "-slots", smallInstance)
	if err != nil {
		t.Fatal(err)
	}
	if slots.Solver != "slots" || slots.Served != 2 || assignedTo(slots)["R1"] != "S-SALFORD" || slots.Proof != nil {
		t.Fatalf("slots = %+v", slots)
	}

	greedy, _, err := runSolve(t, "", "-greedy", smallInstance)
	if err != nil {
		t.Fatal(err)
	}
	if greedy.Solver != "greedy" || greedy.Served != 1 || assignedTo(greedy)["R1"] != "S-ANCOATS" {
		t.Fatalf("greedy = %+v", greedy)
	}
}

func TestSolveCommandReadsStdinAndWritesTheProblem(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(smallInstance)
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := runSolve(t, string(data), "-problem", "-indent", "-")
	if err != nil {
		t.Fatal(err)
	}
	p := out.Problem
	if p == nil || len(p.Requests) != 3 || len(p.Services) != 2 || len(p.Edges) != 3 {
		t.Fatalf("problem = %+v", p)
	}
	for _, s := range p.Services {
		if s.Slots != 1 {
			t.Errorf("service %s has %d slots, want 1", s.ID, s.Slots)
		}
	}
	// The problem written out must solve to the same answer, as another solver would check it.
	sol, err := p.Solve()
	if err != nil {
		t.Fatal(err)
	}
	if sol.Served != out.Served || sol.Cost != out.TotalCost {
		t.Fatalf("re-solving the written problem gives %d at %d, want %d at %d", sol.Served, sol.Cost, out.Served, out.TotalCost)
	}
}

func TestSolveCommandErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		args  []string
		stdin string
		want  string
	}{
		{"no file", nil, "", "solve: give exactly one instance file, or - for stdin"},
		{"two files", []string{"a", "b"}, "", "solve: give exactly one instance file, or - for stdin"},
		{"missing file", []string{"testdata/no_such_file.json"}, "", "no such file"},
		{"unknown flag", []string{"-fast", "x"}, "", "flag provided but not defined: -fast"},
		{"invalid instance", []string{"-"}, `{"requests":[{"id":"R1","service_type":"homecare","hours":-1}],"services":[]}`, "requests[0].hours: must be positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, stderr, err := runSolve(t, tt.stdin, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.want)
			}
			if stderr == "" {
				t.Errorf("nothing written to stderr")
			}
		})
	}
	_, _, err := runSolve(t, `{"requests":[{"id":"R1","service_type":"homecare","hours":-1}],"services":[]}`, "-")
	var fe *matching.FieldError
	if !errors.As(err, &fe) || fe.Field != "requests[0].hours" {
		t.Fatalf("error = %#v, want a *FieldError for requests[0].hours", err)
	}
}
