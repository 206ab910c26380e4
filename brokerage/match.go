package brokerage

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/metrics"
)

// RunMatch runs the matcher on a request: it loads the candidates of the
// request's service type from the directory, ranks them with the matching
// engine, stores the run with its structured reasons, and returns it
// explained in plain English with distances in km. From open (or
// no_offers, widening the search) the request moves to matching. It
// returns Forbidden for anyone but a broker, NotFound for no such request,
// and Conflict when the request's status does not allow matching or the
// person's location is not known.
func (s *Service) RunMatch(ctx context.Context, a accounts.Actor, requestID uuid.UUID) (MatchView, error) {
	if err := a.Require(accounts.Broker); err != nil {
		return MatchView{}, err
	}
	r, err := s.store.request(ctx, requestID, false)
	if err != nil {
		return MatchView{}, err
	}
	if _, err := r.BeginMatching(s.clock()); err != nil { // refuse early, before the directory is read
		return MatchView{}, err
	}
	run, err := s.match(ctx, r)
	if err != nil {
		return MatchView{}, err
	}
	run.RunBy = userRef(a)
	err = s.store.inTx(ctx, func(tx *Store) error {
		r, err := tx.request(ctx, requestID, true)
		if err != nil {
			return err
		}
		run.RunAt = s.clock()
		t, err := r.BeginMatching(run.RunAt)
		if err != nil {
			return err
		}
		if err := tx.insertMatchRun(ctx, &run); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "", &r, t, "request.match", map[string]any{
			"match_run_id": run.ID, "considered": run.Considered, "ranked": len(run.Ranked), "excluded": len(run.Excluded),
		})
	})
	if err != nil {
		return MatchView{}, err
	}
	return run.View(), nil
}

// LatestMatch returns the newest stored run on a request, explained, for
// brokers (Forbidden for others; NotFound if the matcher has not run).
func (s *Service) LatestMatch(ctx context.Context, a accounts.Actor, requestID uuid.UUID) (MatchView, error) {
	if err := a.Require(accounts.Broker); err != nil {
		return MatchView{}, err
	}
	if _, err := s.store.request(ctx, requestID, false); err != nil {
		return MatchView{}, err
	}
	run, err := s.store.latestMatchRun(ctx, requestID)
	if err != nil {
		return MatchView{}, err
	}
	return run.View(), nil
}

// match ranks the candidates of r's service type for r, with the index of
// them kept in memory while the directory is unchanged.
func (s *Service) match(ctx context.Context, r Request) (MatchRun, error) {
	if s.dir == nil {
		return MatchRun{}, errs.Internalf(nil, "brokerage has no provider directory configured")
	}
	defer observeSince(time.Now(), metrics.ObserveMatch)
	lat, lon, err := s.locate(ctx, r.Latitude, r.Longitude, r.Postcode)
	if err != nil {
		return MatchRun{}, err
	}
	req, ok := engineRequest(r, lat, lon)
	if !ok {
		return MatchRun{}, errs.Internalf(nil, "request %s: service type %q is unknown to the matcher", r.ID, r.ServiceType)
	}
	ti, err := s.typeIndex(ctx, r.ServiceType)
	if err != nil {
		return MatchRun{}, err
	}
	run := MatchRun{RequestID: r.ID, Considered: ti.considered, Providers: map[string]string{}}
	noContract := ti.noContract
	// The index lists the services that can take the request and the near
	// misses (a little beyond their coverage), not every service of the type
	// in the region: the run stores and shows those, with their providers.
	res, err := ti.index.Match(req)
	if err != nil {
		return MatchRun{}, errs.Internalf(err, "matching request %s", r.ID)
	}
	for _, m := range res.Ranked {
		run.Providers[m.ProviderID] = ti.providers[m.ProviderID]
	}
	for _, e := range res.Excluded {
		run.Providers[e.ProviderID] = ti.providers[e.ProviderID]
	}
	for i := range res.Excluded {
		if noContract[res.Excluded[i].ServiceID] {
			markNoContract(res.Excluded[i].Reasons)
		}
	}
	run.Ranked, run.Excluded = res.Ranked, res.Excluded
	return run, nil
}

// locate returns the person's coordinates: those recorded, else the
// directory's postcode lookup. A person who cannot be placed is Conflict.
func (s *Service) locate(ctx context.Context, lat, lon *float64, postcode string) (float64, float64, error) {
	if lat != nil && lon != nil {
		return *lat, *lon, nil
	}
	if s.dir != nil {
		la, lo, err := s.dir.Geocode(ctx, postcode)
		if err == nil {
			return la, lo, nil
		}
		if !errs.Is(err, errs.NotFound) && !errs.Is(err, errs.Invalid) {
			return 0, 0, err
		}
	}
	return 0, 0, errs.Conflictf("where the person lives is not known: the postcode %s is not in the postcode lookup; record the person's latitude and longitude", postcode)
}
