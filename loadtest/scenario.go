package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Plan is what one load test run does.
type Plan struct {
	BaseURL      string
	World        World
	BrokerTokens []string
	// ProviderToken returns an access token for the provider user of an
	// organisation.
	ProviderToken func(org uuid.UUID) (string, error)
	StepDuration  time.Duration
	HealthRates   []int
	MatchRates    []int
	MixRate       int
	MixDuration   time.Duration
	Attacker      Attacker
	Log           io.Writer
}

// Report is what a run measured.
type Report struct {
	Health, Match []Step
	Mix           []Step
	MixPrepared   map[string]int
	// ColdMatch is how long the first match of each service type took: it
	// builds the type's index, as the first match after any directory change does.
	ColdMatch map[string]time.Duration
}

// Run does the step-ups of /healthz and of the match endpoint, prepares the
// mixed workload's requests through the API, and runs the mix.
func Run(ctx context.Context, p Plan) (Report, error) {
	var rep Report
	if len(p.BrokerTokens) == 0 {
		return rep, fmt.Errorf("run: no broker tokens")
	}
	// The mix's requests are set aside first, so the match step-up does
	// not move them on.
	mixN := mixPoolSize(p.MixRate, p.MixDuration)
	if len(p.World.OpenRequests) < 6*mixN+100 {
		return rep, fmt.Errorf("run: %d open requests are too few for a mix of %d/s", len(p.World.OpenRequests), p.MixRate)
	}
	// Twice what the writes need, as the matcher finds no free service for some.
	reserved := p.World.OpenRequests[len(p.World.OpenRequests)-6*mixN:]
	matchable := p.World.OpenRequests[:len(p.World.OpenRequests)-len(reserved)]

	fmt.Fprintf(p.Log, "step-up of GET /healthz, %s a step\n", p.StepDuration)
	rep.Health = p.Attacker.StepUp(Operation{Name: "GET /healthz", Want: 200, Next: func(t *vegeta.Target) error {
		t.Method, t.URL = "GET", p.BaseURL+"/healthz"
		return nil
	}}, p.HealthRates, p.StepDuration, p.Log)

	// The first match of each service type after a directory change builds
	// that type's index; it is timed here, once, and kept out of the steps.
	c := &apiClient{base: p.BaseURL, http: &http.Client{Timeout: 60 * time.Second}}
	for _, r := range matchable {
		if _, done := rep.ColdMatch[r.ServiceType]; done {
			continue
		}
		if rep.ColdMatch == nil {
			rep.ColdMatch = map[string]time.Duration{}
		}
		t0 := time.Now()
		if err := c.do("POST", "/api/v1/requests/"+r.ID.String()+"/match", p.BrokerTokens[0], nil, 201, nil); err != nil {
			return rep, fmt.Errorf("warming up: %w", err)
		}
		rep.ColdMatch[r.ServiceType] = time.Since(t0)
	}
	fmt.Fprintf(p.Log, "first match of each service type (builds its index): %v\n", rep.ColdMatch)

	fmt.Fprintf(p.Log, "step-up of POST /api/v1/requests/:id/match (%d requests, %d brokers), %s a step\n", len(matchable), len(p.BrokerTokens), p.StepDuration)
	var n atomic.Uint64
	rep.Match = p.Attacker.StepUp(Operation{Name: "POST match", Want: 201, Next: func(t *vegeta.Target) error {
		i := n.Add(1)
		t.Method = "POST"
		t.URL = p.BaseURL + "/api/v1/requests/" + matchable[i%uint64(len(matchable))].ID.String() + "/match"
		t.Header = bearer(p.BrokerTokens[i%uint64(len(p.BrokerTokens))])
		return nil
	}}, p.MatchRates, p.StepDuration, p.Log)

	if p.MixRate > 0 {
		mix, prepared, err := runMix(ctx, p, reserved, mixN)
		if err != nil {
			return rep, err
		}
		rep.Mix, rep.MixPrepared = mix, prepared
	}
	return rep, nil
}

// The mix: 80% reads, 20% writes, in these shares (per cent).
var mixShares = []struct {
	name  string
	share int
}{
	{"GET /requests (queue)", 25}, {"GET /requests/:id", 25}, {"GET /requests/:id/offers", 20}, {"GET /invitations (provider)", 10},
	{"POST /invitations/:id/offer", 7}, {"POST /requests/:id/choice", 7}, {"POST /requests/:id/agreement", 6},
}

func mixRates(total int) []int {
	out := make([]int, len(mixShares))
	for i, s := range mixShares {
		out[i] = max(1, total*s.share/100)
	}
	return out
}

// mixPoolSize is how many requests each write needs ready: one a write,
// with room to spare.
func mixPoolSize(rate int, d time.Duration) int {
	most := 0
	for _, r := range mixRates(rate)[4:] {
		most = max(most, r)
	}
	return int(float64(most)*d.Seconds()*1.2) + 5
}

// prepared is one request driven towards an agreement through the API.
type prepared struct {
	req        Request
	invitation uuid.UUID
	org        uuid.UUID
	offer      uuid.UUID
}

func runMix(ctx context.Context, p Plan, reserved []Request, n int) ([]Step, map[string]int, error) {
	fmt.Fprintf(p.Log, "preparing the mix through the API: %d requests matched and invited, %d offered, %d chosen\n", 3*n, 2*n, n)
	c := &apiClient{base: p.BaseURL, http: &http.Client{Timeout: 30 * time.Second}}
	var (
		mu       sync.Mutex
		used     = map[string]bool{}
		toOffer  []prepared
		toChoose []prepared
		toAgree  []prepared
		firstErr error
		next     atomic.Int64
		wg       sync.WaitGroup
		broker   = func(i int) string { return p.BrokerTokens[i%len(p.BrokerTokens)] }
	)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				mu.Lock()
				enough := len(toOffer) >= n && len(toChoose) >= n && len(toAgree) >= n
				mu.Unlock()
				if i >= len(reserved) || enough || ctx.Err() != nil {
					return
				}
				pr, stage, err := prepare(c, p, reserved[i], broker(i), &mu, used, func() int {
					mu.Lock()
					defer mu.Unlock()
					switch {
					case len(toOffer) < n:
						return 0
					case len(toChoose) < n:
						return 1
					}
					return 2
				})
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				switch stage {
				case 0:
					toOffer = append(toOffer, pr)
				case 1:
					toChoose = append(toChoose, pr)
				case 2:
					toAgree = append(toAgree, pr)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	counts := map[string]int{"to offer": len(toOffer), "to choose": len(toChoose), "to agree": len(toAgree)}
	if len(toOffer) < n || len(toChoose) < n || len(toAgree) < n {
		return nil, counts, fmt.Errorf("mix: could only prepare %v of %d each (first error: %v)", counts, n, firstErr)
	}
	fmt.Fprintf(p.Log, "prepared %v\n", counts)

	all := p.World.OpenRequests
	withOffers := append(append([]prepared{}, toChoose...), toAgree...)
	orgs := make([]uuid.UUID, 0, len(toOffer))
	for _, pr := range toOffer {
		orgs = append(orgs, pr.org)
	}
	providerTokens := map[uuid.UUID]string{}
	for _, pr := range append(append([]prepared{}, toOffer...), withOffers...) {
		tok, err := p.ProviderToken(pr.org)
		if err != nil {
			return nil, counts, err
		}
		providerTokens[pr.org] = tok
	}
	var picks [7]atomic.Uint64
	pick := func(op int, n int) int { return int(picks[op].Add(1)-1) % n }
	take := func(op int, pool []prepared) (prepared, error) {
		i := int(picks[op].Add(1) - 1)
		if i >= len(pool) {
			return prepared{}, fmt.Errorf("the prepared requests for this write ran out")
		}
		return pool[i], nil
	}
	ops := []Operation{
		{Name: mixShares[0].name, Want: 200, Next: func(t *vegeta.Target) error {
			t.Method, t.URL = "GET", p.BaseURL+"/api/v1/requests?status=open,matching,invited,offers_received"
			t.Header = bearer(broker(pick(0, 1<<30)))
			return nil
		}},
		{Name: mixShares[1].name, Want: 200, Next: func(t *vegeta.Target) error {
			i := pick(1, len(all))
			t.Method, t.URL, t.Header = "GET", p.BaseURL+"/api/v1/requests/"+all[i].ID.String(), bearer(broker(i))
			return nil
		}},
		{Name: mixShares[2].name, Want: 200, Next: func(t *vegeta.Target) error {
			i := pick(2, len(withOffers))
			t.Method, t.URL, t.Header = "GET", p.BaseURL+"/api/v1/requests/"+withOffers[i].req.ID.String()+"/offers", bearer(broker(i))
			return nil
		}},
		{Name: mixShares[3].name, Want: 200, Next: func(t *vegeta.Target) error {
			i := pick(3, len(orgs))
			t.Method, t.URL, t.Header = "GET", p.BaseURL+"/api/v1/invitations", bearer(providerTokens[orgs[i]])
			return nil
		}},
		{Name: mixShares[4].name, Want: 201, Next: func(t *vegeta.Target) error {
			pr, err := take(4, toOffer)
			if err != nil {
				return err
			}
			t.Method, t.URL = "POST", p.BaseURL+"/api/v1/invitations/"+pr.invitation.String()+"/offer"
			t.Header, t.Body = jsonHeader(providerTokens[pr.org]), mustJSON(offerFor(pr.req))
			return nil
		}},
		{Name: mixShares[5].name, Want: 201, Next: func(t *vegeta.Target) error {
			pr, err := take(5, toChoose)
			if err != nil {
				return err
			}
			t.Method, t.URL = "POST", p.BaseURL+"/api/v1/requests/"+pr.req.ID.String()+"/choice"
			t.Header = jsonHeader(broker(int(picks[5].Load())))
			t.Body = mustJSON(map[string]any{"offer_id": pr.offer, "reason": "the person chose this offer on the phone"})
			return nil
		}},
		{Name: mixShares[6].name, Want: 201, Next: func(t *vegeta.Target) error {
			pr, err := take(6, toAgree)
			if err != nil {
				return err
			}
			t.Method, t.URL = "POST", p.BaseURL+"/api/v1/requests/"+pr.req.ID.String()+"/agreement"
			t.Header = jsonHeader(broker(int(picks[6].Load())))
			t.Body = mustJSON(map[string]any{"start_date": pr.req.StartDate.Format(time.DateOnly)})
			return nil
		}},
	}
	fmt.Fprintf(p.Log, "mixed workload at %d/s for %s\n", p.MixRate, p.MixDuration)
	steps := p.Attacker.Concurrent(ops, mixRates(p.MixRate), p.MixDuration)
	for _, s := range steps {
		fmt.Fprintf(p.Log, "  %-30s %4d/s p50 %6s p99 %7s errors %.2f%% %v %s\n", s.Operation, s.Rate, ms(s.P50), ms(s.P99), s.ErrorPct, s.Codes, s.FirstErr)
	}
	return steps, counts, nil
}

// prepare matches and invites one request, then takes it as far as the
// stage stageFor says (0: invited, 1: offered, 2: chosen). A request the
// matcher finds no free service for is skipped (stage -1).
func prepare(c *apiClient, p Plan, r Request, broker string, mu *sync.Mutex, used map[string]bool, stageFor func() int) (prepared, int, error) {
	pr := prepared{req: r}
	var match struct {
		Ranked []struct {
			ServiceID       string `json:"service_id"`
			WeeklyCostPence int64  `json:"weekly_cost_pence"`
			OverBudget      bool   `json:"over_budget"`
		} `json:"ranked"`
	}
	if err := c.do("POST", "/api/v1/requests/"+r.ID.String()+"/match", broker, nil, 201, &match); err != nil {
		return pr, -1, err
	}
	service := ""
	mu.Lock()
	for _, m := range match.Ranked {
		if !m.OverBudget && !used[m.ServiceID] {
			service, used[m.ServiceID] = m.ServiceID, true
			break
		}
	}
	mu.Unlock()
	if service == "" {
		return pr, -1, nil
	}
	var invs struct {
		Items []struct {
			ID            uuid.UUID `json:"id"`
			ProviderOrgID uuid.UUID `json:"provider_org_id"`
		} `json:"items"`
	}
	if err := c.do("POST", "/api/v1/requests/"+r.ID.String()+"/invitations", broker, map[string]any{"service_ids": []string{service}}, 201, &invs); err != nil {
		return pr, -1, err
	}
	if len(invs.Items) != 1 {
		return pr, -1, fmt.Errorf("invite: %d invitations, want 1", len(invs.Items))
	}
	pr.invitation, pr.org = invs.Items[0].ID, invs.Items[0].ProviderOrgID
	stage := stageFor()
	if stage == 0 {
		return pr, 0, nil
	}
	tok, err := p.ProviderToken(pr.org)
	if err != nil {
		return pr, -1, err
	}
	var offer struct {
		ID uuid.UUID `json:"id"`
	}
	if err := c.do("POST", "/api/v1/invitations/"+pr.invitation.String()+"/offer", tok, offerFor(r), 201, &offer); err != nil {
		return pr, -1, err
	}
	pr.offer = offer.ID
	if stage == 1 {
		return pr, 1, nil
	}
	if err := c.do("POST", "/api/v1/requests/"+r.ID.String()+"/choice", broker,
		map[string]any{"offer_id": pr.offer, "reason": "the person chose this offer on the phone"}, 201, nil); err != nil {
		return pr, -1, err
	}
	return pr, 2, nil
}

// offerFor is an offer within the request's budget, starting when wanted.
func offerFor(r Request) map[string]any {
	o := map[string]any{"weekly_price_pence": r.BudgetPence, "earliest_start": r.StartDate.Format(time.DateOnly),
		"valid_until": r.StartDate.AddDate(0, 1, 0).Format(time.DateOnly), "notes": "load test offer"}
	if r.HoursPerWeek > 0 {
		o["hours_per_week"], o["hourly_rate_pence"] = r.HoursPerWeek, r.BudgetPence/int64(r.HoursPerWeek)
	} else {
		o["places"] = r.Places
	}
	return o
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// apiClient makes the setup's calls.
type apiClient struct {
	base string
	http *http.Client
}

func (c *apiClient) do(method, path, token string, body any, want int, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(mustJSON(body))
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		return err
	}
	req.Header = jsonHeader(token)
	if token == "" {
		req.Header.Del("Authorization")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %d, want %d: %.300s", method, path, resp.StatusCode, want, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// Login signs in through the API and returns the access token.
func Login(base, email, password string) (string, error) {
	c := &apiClient{base: base, http: &http.Client{Timeout: 30 * time.Second}}
	var out struct {
		AccessToken string `json:"access_token"`
	}
	err := c.do("POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": password}, 200, &out)
	return out.AccessToken, err
}
