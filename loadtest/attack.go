package loadtest

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Step is one rate held for a while against one operation.
type Step struct {
	Operation string
	Rate      int // requests a second asked for
	Duration  time.Duration
	Sent      uint64
	Achieved  float64 // requests a second actually sent
	P50, P95  time.Duration
	P99, Max  time.Duration
	ErrorPct  float64 // transport errors and answers other than the expected status
	Codes     map[string]int
	FirstErr  string
}

// Passes says whether the step meets the bar: p99 under 50 ms,
// fewer than 0.1% errors, and the rate really sent (an open-loop attacker
// that runs out of workers sends less than asked, which hides slowness).
func (s Step) Passes() bool { return s.within(50 * time.Millisecond) }

// PassesWithin is Passes with another bar for p99: on a shared machine the
// tail moves with the neighbours' load, so the table also gives the rate a
// looser bar allows.
func (s Step) PassesWithin(p99 time.Duration) bool { return s.within(p99) }

func (s Step) within(p99 time.Duration) bool {
	return s.P99 < p99 && s.ErrorPct < 0.1 && s.Achieved >= 0.97*float64(s.Rate)
}

// pastKnee says the service is clearly overloaded at this step: answers
// queue for a quarter of a second, fail, or the rate cannot be sent.
func (s Step) pastKnee() bool { return !s.within(250 * time.Millisecond) }

// Operation is something to send at a rate: Next returns the next request
// (called from many workers at once) and the status a success answers with.
type Operation struct {
	Name string
	Want int
	Next func(t *vegeta.Target) error
}

// Attacker holds the options every step uses.
type Attacker struct {
	MaxWorkers uint64
	Timeout    time.Duration
}

// Run sends op at rate for d, open loop (requests leave on the clock,
// whatever the answers do), with at most MaxWorkers in flight.
func (a Attacker) Run(op Operation, rate int, d time.Duration) Step {
	atk := vegeta.NewAttacker(vegeta.Workers(8), vegeta.MaxWorkers(a.MaxWorkers), vegeta.Timeout(a.Timeout),
		vegeta.KeepAlive(true), vegeta.Connections(int(a.MaxWorkers)), vegeta.MaxBody(0))
	var m vegeta.Metrics
	var bad atomic.Uint64
	first := ""
	for res := range atk.Attack(op.Next, vegeta.ConstantPacer{Freq: rate, Per: time.Second}, d, op.Name) {
		m.Add(res)
		if res.Error != "" || int(res.Code) != op.Want {
			bad.Add(1)
			if first == "" {
				first = fmt.Sprintf("%d %s %s", res.Code, res.URL, res.Error)
			}
		}
	}
	m.Close()
	s := Step{Operation: op.Name, Rate: rate, Duration: d, Sent: m.Requests, Achieved: m.Rate,
		P50: m.Latencies.P50, P95: m.Latencies.P95, P99: m.Latencies.P99, Max: m.Latencies.Max, Codes: m.StatusCodes, FirstErr: first}
	if m.Requests > 0 {
		s.ErrorPct = 100 * float64(bad.Load()) / float64(m.Requests)
	}
	return s
}

// Concurrent runs several operations at once, each at its own rate, and
// returns a step for each: the mixed workload.
func (a Attacker) Concurrent(ops []Operation, rates []int, d time.Duration) []Step {
	out := make([]Step, len(ops))
	done := make(chan struct{})
	for i := range ops {
		go func() {
			defer func() { done <- struct{}{} }()
			out[i] = a.Run(ops[i], rates[i], d)
		}()
	}
	for range ops {
		<-done
	}
	return out
}

// MinRequests is the fewest requests a step sends, so that its p99 is not
// simply its slowest answer: low rates are held longer than the step.
const MinRequests = 200

// StepUp runs op at each rate in turn, stopping after two rates in a row
// are past the knee (more would only queue).
func (a Attacker) StepUp(op Operation, rates []int, d time.Duration, log io.Writer) []Step {
	var out []Step
	failed := 0
	for _, r := range rates {
		s := a.Run(op, r, max(d, time.Duration(MinRequests)*time.Second/time.Duration(r)))
		out = append(out, s)
		fmt.Fprintf(log, "  %-10s %5d/s sent %6.1f/s p50 %6s p99 %7s errors %.2f%% %v %s\n", op.Name, r, s.Achieved,
			ms(s.P50), ms(s.P99), s.ErrorPct, s.Codes, s.FirstErr)
		if !s.pastKnee() {
			failed = 0
		} else if failed++; failed == 2 {
			break
		}
		time.Sleep(time.Second) // let the previous step's stragglers drain
	}
	return out
}

// Best is the highest rate whose p99 was under the bar (with errors under
// 0.1% and the rate really sent), 0 if none.
func Best(steps []Step, p99 time.Duration) int {
	best := 0
	for _, s := range steps {
		if s.PassesWithin(p99) && s.Rate > best {
			best = s.Rate
		}
	}
	return best
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }

// StepTable is the markdown table of a step-up.
func StepTable(steps []Step) string {
	var b strings.Builder
	b.WriteString("| endpoint | rate asked (/s) | rate sent (/s) | requests | p50 (ms) | p95 (ms) | p99 (ms) | errors % | p99 < 50 ms |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, s := range steps {
		pass := "no"
		if s.Passes() {
			pass = "yes"
		}
		fmt.Fprintf(&b, "| %s | %d | %.0f | %d | %s | %s | %s | %.2f | %s |\n", s.Operation, s.Rate, s.Achieved, s.Sent,
			ms(s.P50), ms(s.P95), ms(s.P99), s.ErrorPct, pass)
	}
	return b.String()
}

// MixTable is the markdown table of the mixed workload, one row an operation.
func MixTable(steps []Step) string {
	var b strings.Builder
	b.WriteString("| operation | kind | rate (/s) | requests | p50 (ms) | p99 (ms) | errors % |\n|---|---|---:|---:|---:|---:|---:|\n")
	for _, s := range steps {
		kind := "read"
		if strings.HasPrefix(s.Operation, "POST") {
			kind = "write"
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %s | %s | %.2f |\n", s.Operation, kind, s.Rate, s.Sent, ms(s.P50), ms(s.P99), s.ErrorPct)
	}
	return b.String()
}

// bearer is the header of a request made as a signed-in user.
func bearer(token string) http.Header {
	h := http.Header{}
	h.Set("Authorization", "Bearer "+token)
	h.Set("Accept", "application/json")
	return h
}

func jsonHeader(token string) http.Header {
	h := bearer(token)
	h.Set("Content-Type", "application/json")
	return h
}
