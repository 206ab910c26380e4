package brokerage

import (
	"math"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/internal/money"
	"github.com/carebroker/carebroker/matching"
)

// MatchRun is one run of the matcher on a request, stored with the
// engine's structured reasons so the decision can be explained later
// exactly as it was made.
type MatchRun struct {
	ID         uuid.UUID
	RequestID  uuid.UUID
	RunAt      time.Time
	RunBy      *uuid.UUID
	Considered int // candidates the directory offered
	Ranked     []matching.Match
	Excluded   []matching.Exclusion
	Providers  map[string]string // provider organisation id -> name
}

// MatchView is a match run as brokers and the person read it: ranked and
// excluded services, every reason in plain English beside its structure.
type MatchView struct {
	RunID      uuid.UUID         `json:"run_id"`
	RequestID  uuid.UUID         `json:"request_id"`
	RunAt      time.Time         `json:"run_at"`
	Considered int               `json:"considered"`
	Ranked     []RankedService   `json:"ranked"`
	Excluded   []ExcludedService `json:"excluded"`
}

// RankedService is a service that can take the request.
type RankedService struct {
	Rank               int     `json:"rank"`
	ServiceID          string  `json:"service_id"`
	ProviderOrgID      string  `json:"provider_org_id"`
	ServiceName        string  `json:"service_name"`
	ProviderName       string  `json:"provider_name"`
	ServiceType        string  `json:"service_type"`
	WeeklyCostPence    int64   `json:"weekly_cost_pence"`
	WeeklyCost         string  `json:"weekly_cost"`
	DistanceKm         float64 `json:"distance_km"`
	DistanceMiles      float64 `json:"distance_miles"`
	OverBudget         bool    `json:"over_budget"`
	GenericAlternative bool    `json:"generic_alternative"`
	Score              float64 `json:"score"` // points out of 100
	// ScoreParts are the parts of the score, whose points add up to it.
	ScoreParts []ScorePart `json:"score_parts"`
	Notes      []Explained `json:"notes"`
}

// ExcludedService is a service that cannot take the request, and why.
type ExcludedService struct {
	ServiceID     string      `json:"service_id"`
	ProviderOrgID string      `json:"provider_org_id"`
	ServiceName   string      `json:"service_name"`
	ProviderName  string      `json:"provider_name"`
	ServiceType   string      `json:"service_type"`
	DistanceKm    float64     `json:"distance_km"`
	DistanceMiles float64     `json:"distance_miles"`
	Reasons       []Explained `json:"reasons"`
}

// Explained is a reason in plain English with its structured detail.
type Explained struct {
	Code   string          `json:"code"`
	Text   string          `json:"text"`
	Detail matching.Reason `json:"detail"`
}

func explain(rs []matching.Reason) []Explained {
	out := make([]Explained, len(rs))
	for i, r := range rs {
		out[i] = Explained{Code: string(r.Code), Text: r.Text(), Detail: r}
		if r.Code == matching.CodeContractNotActive && r.ContractStatus == noContractStatus {
			out[i].Text = "no contract with the council"
		}
	}
	return out
}

func roundKm(km float64) float64 { return math.Round(km*10) / 10 }

// View renders the run for people.
func (m *MatchRun) View() MatchView {
	v := MatchView{RunID: m.ID, RequestID: m.RequestID, RunAt: m.RunAt, Considered: m.Considered,
		Ranked: make([]RankedService, len(m.Ranked)), Excluded: make([]ExcludedService, len(m.Excluded))}
	for i, r := range m.Ranked {
		v.Ranked[i] = m.rankedView(r)
	}
	for i, e := range m.Excluded {
		v.Excluded[i] = ExcludedService{
			ServiceID: e.ServiceID, ProviderOrgID: e.ProviderID, ServiceName: e.Name, ProviderName: m.Providers[e.ProviderID],
			ServiceType: e.ServiceType.String(), DistanceKm: roundKm(e.DistanceKm), DistanceMiles: Miles(e.DistanceKm), Reasons: explain(e.Reasons),
		}
	}
	return v
}

// rankedView is one ranked service of the run, explained.
func (m *MatchRun) rankedView(r matching.Match) RankedService {
	return RankedService{
		Rank: r.Rank, ServiceID: r.ServiceID, ProviderOrgID: r.ProviderID, ServiceName: r.Name,
		ProviderName: m.Providers[r.ProviderID], ServiceType: r.ServiceType.String(),
		WeeklyCostPence: r.WeeklyCostPence, WeeklyCost: money.Format(r.WeeklyCostPence), DistanceKm: roundKm(r.DistanceKm),
		DistanceMiles: Miles(r.DistanceKm), ScoreParts: scoreParts(r), OverBudget: r.OverBudget, GenericAlternative: r.GenericAlternative, Score: float64(r.Score) / 1000,
		Notes: explain(r.Notes),
	}
}

// ranked returns the ranked entry for a service, if the run ranked it.
func (m *MatchRun) ranked(serviceID uuid.UUID) (matching.Match, bool) {
	for _, r := range m.Ranked {
		if r.ServiceID == serviceID.String() {
			return r, true
		}
	}
	return matching.Match{}, false
}

// excluded returns the exclusion of a service, if the run excluded it.
func (m *MatchRun) excluded(serviceID uuid.UUID) (matching.Exclusion, bool) {
	for _, e := range m.Excluded {
		if e.ServiceID == serviceID.String() {
			return e, true
		}
	}
	return matching.Exclusion{}, false
}
