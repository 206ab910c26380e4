package brokerage

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/metrics"
	"github.com/carebroker/carebroker/matching"
	"github.com/carebroker/carebroker/providers"
)

// VersionedDirectory is a Directory that can say whether it has changed
// (providers.Store). With one, matching keeps each service type's index in
// memory and rebuilds it only when the directory version moves; without
// one it reads the candidates on every run.
type VersionedDirectory interface {
	Directory
	DirectoryVersion(ctx context.Context) (int64, error)
}

var _ VersionedDirectory = (*providers.Store)(nil)

// typeIndex is the matching engine's index of one service type's
// candidates, as read at one directory version. It is never changed once
// built, so concurrent runs share it.
type typeIndex struct {
	version    int64
	considered int // candidates the directory offered
	index      *matching.Index
	providers  map[string]string // provider organisation id -> name
	noContract map[string]bool   // services whose provider has no contract at all
}

// matchIndexes holds the newest index of each service type. A type's
// mutex is held while its index is rebuilt, so runs that find it stale at
// once read the directory once, not each.
type matchIndexes struct {
	mu     sync.Mutex
	byType map[providers.ServiceType]*indexSlot
}

type indexSlot struct {
	mu    sync.Mutex
	built *typeIndex
}

func (m *matchIndexes) slot(t providers.ServiceType) *indexSlot {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.byType == nil {
		m.byType = map[providers.ServiceType]*indexSlot{}
	}
	sl := m.byType[t]
	if sl == nil {
		sl = &indexSlot{}
		m.byType[t] = sl
	}
	return sl
}

// typeIndex returns the index of t's candidates, current as of this call:
// the version is read before the directory, so a change committed meanwhile
// makes the next call rebuild.
func (s *Service) typeIndex(ctx context.Context, t providers.ServiceType) (*typeIndex, error) {
	vd, ok := s.dir.(VersionedDirectory)
	if !ok {
		return s.buildTypeIndex(ctx, t, 0)
	}
	version, err := vd.DirectoryVersion(ctx)
	if err != nil {
		return nil, err
	}
	sl := s.indexes.slot(t)
	sl.mu.Lock()
	defer sl.mu.Unlock()
	if sl.built != nil && sl.built.version == version {
		return sl.built, nil
	}
	built, err := s.buildTypeIndex(ctx, t, version)
	if err != nil {
		return nil, err
	}
	sl.built = built
	return built, nil
}

func (s *Service) buildTypeIndex(ctx context.Context, t providers.ServiceType, version int64) (*typeIndex, error) {
	defer observeSince(time.Now(), func(d time.Duration) { metrics.ObserveIndexBuild(string(t), d) })
	cands, err := s.dir.Candidates(ctx, []providers.ServiceType{t})
	if err != nil {
		return nil, err
	}
	ti := &typeIndex{version: version, considered: len(cands), providers: map[string]string{}, noContract: map[string]bool{}}
	services := make([]matching.Service, 0, len(cands))
	for _, c := range cands {
		svc, ok := engineService(c)
		if !ok {
			slog.WarnContext(ctx, "matching: a directory service the engine cannot read was left out", "service_id", c.ServiceID.String())
			continue
		}
		services = append(services, svc)
		ti.providers[svc.ProviderID] = c.OrganisationName
		if c.Compliance.ContractStatus == providers.ContractNone {
			ti.noContract[svc.ID] = true
		}
	}
	if ti.index, err = matching.NewIndex(services, s.matching); err != nil {
		return nil, errs.Internalf(err, "indexing the %s services for matching", t)
	}
	return ti, nil
}

// observeSince gives observe (a metric) the time since start.
func observeSince(start time.Time, observe func(time.Duration)) { observe(time.Since(start)) }
