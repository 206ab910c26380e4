package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"

	"github.com/carebroker/carebroker/internal/metrics"
)

// Reads that tolerate a little lag (the broker's queue, the dashboard, the
// published directory and its lists) may go to a streaming replica: the
// use case marks its context with TolerateLag, and DB.Gorm sends that
// context's queries to the replica while it is up and no further behind
// than ReplicaOptions.MaxLag. Everything else reads the primary: every
// transaction (DB.Transaction, Tx.Gorm) and every unmarked context, so what
// decides (matching before an invitation, a choice, an agreement, money)
// never reads a replica.

type lagTolerant struct{}

// TolerateLag marks ctx: its reads through DB.Gorm may be served by the
// read replica, up to ReplicaOptions.MaxLag behind the primary. Mark only
// a read that shows something (a list, a count, a page); never one whose
// answer decides a write.
func TolerateLag(ctx context.Context) context.Context {
	return context.WithValue(ctx, lagTolerant{}, true)
}

func toleratesLag(ctx context.Context) bool {
	v, _ := ctx.Value(lagTolerant{}).(bool)
	return v
}

// ReplicaOptions say when the replica may serve reads.
type ReplicaOptions struct {
	// MaxLag is how far behind the primary the replica may be (REPLICA_MAX_LAG).
	MaxLag time.Duration
	// CheckEvery is how often the replica's health and lag are measured;
	// reads in between use the last answer. 0 measures before every read.
	CheckEvery time.Duration
	// Now is the clock the lag and the checks are timed by (time.Now when nil).
	Now func() time.Time
}

// replica routes lag-tolerant reads to a streaming replica while it is
// healthy. Its lag is the time since the primary was first seen at a WAL
// position the replica has not replayed yet (0 when it has replayed all the
// primary had written at the check), so an idle primary's replica is never
// "behind" and a replica whose replay stopped falls further behind each
// check, to within CheckEvery.
type replica struct {
	gorm    *gorm.DB
	primary *gorm.DB
	opts    ReplicaOptions

	mu        sync.Mutex
	checked   bool
	checkedAt time.Time
	usable    bool
	reason    string // why not usable: "down" or "lagging"
	target    string // a primary WAL position the replica had not replayed when first seen
	since     time.Time
}

// WithReplica returns the database with lag-tolerant reads served by the
// replica at dsn. The replica's pool is opened lazily: a replica down at
// start-up is only a fallback to the primary, never a failure to start. It
// returns an error only for a malformed dsn.
func (db *DB) WithReplica(dsn string, o ReplicaOptions) (*DB, error) {
	cfg, err := stdlibConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("REPLICA_DATABASE_URL: %w", err)
	}
	cfg.ConnectTimeout = 2 * time.Second
	sqlDB := stdlib.OpenDB(*cfg)
	sqlDB.SetMaxOpenConns(20)
	sqlDB.SetMaxIdleConns(10)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	g, err := gormOn(sqlDB)
	if err != nil {
		return nil, err
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	metrics.WatchPool("replica", sqlDB)
	return &DB{gorm: db.gorm, replica: &replica{gorm: g, primary: db.gorm, opts: o}}, nil
}

// Replica returns the replica's own connection pool, for a test or a
// probe that must read the replica itself; nil without one.
func (db *DB) Replica() *DB {
	if db.replica == nil {
		return nil
	}
	return &DB{gorm: db.replica.gorm}
}

// reader returns the replica to read from for ctx, or nil for the primary.
func (db *DB) reader(ctx context.Context) *gorm.DB {
	if db.replica == nil || !toleratesLag(ctx) {
		return nil
	}
	return db.replica.pick(ctx)
}

// pick returns the replica when it is usable, measuring it first when the
// last check is older than CheckEvery, and counts a fallback otherwise.
func (r *replica) pick(ctx context.Context) *gorm.DB {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.opts.Now()
	if !r.checked || now.Sub(r.checkedAt) >= r.opts.CheckEvery {
		r.check(ctx, now)
	}
	if !r.usable {
		metrics.ReplicaFallback(r.reason)
		return nil
	}
	return r.gorm
}

func (r *replica) check(ctx context.Context, now time.Time) {
	wasUsable, wasChecked := r.usable, r.checked
	r.checked, r.checkedAt = true, now
	lag, err := r.lag(ctx, now)
	switch {
	case err != nil:
		r.usable, r.reason = false, "down"
	case lag > r.opts.MaxLag:
		r.usable, r.reason = false, "lagging"
	default:
		r.usable, r.reason = true, ""
	}
	metrics.ReplicaState(r.usable, lag)
	if !wasChecked || wasUsable != r.usable {
		if r.usable {
			slog.Info("lag-tolerant reads go to the read replica", "lag", lag.String())
		} else {
			msg := ""
			if err != nil {
				msg = err.Error()
			}
			slog.Warn("lag-tolerant reads fall back to the primary", "reason", r.reason, "lag", lag.String(), "error", msg)
		}
	}
}

// lag measures how far the replica is behind the primary, by WAL position
// and the clock; an error means the replica cannot serve (it does not
// answer, or it is not in recovery: promoted, it no longer follows).
func (r *replica) lag(ctx context.Context, now time.Time) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var primaryLSN string
	if err := r.primary.WithContext(ctx).Raw(`SELECT pg_current_wal_lsn()::text`).Scan(&primaryLSN).Error; err != nil {
		return 0, fmt.Errorf("primary: %w", err)
	}
	target := r.target
	if target == "" {
		target = primaryLSN
	}
	var st struct {
		InRecovery   bool
		BehindNow    float64
		BehindTarget float64
	}
	err := r.gorm.WithContext(ctx).Raw(`SELECT pg_is_in_recovery() AS in_recovery,
		coalesce(pg_wal_lsn_diff(?::pg_lsn, pg_last_wal_replay_lsn()), 0) AS behind_now,
		coalesce(pg_wal_lsn_diff(?::pg_lsn, pg_last_wal_replay_lsn()), 0) AS behind_target`, primaryLSN, target).Scan(&st).Error
	if err != nil {
		return 0, err
	}
	if !st.InRecovery {
		return 0, errors.New("the replica is not in recovery: it does not follow the primary")
	}
	if st.BehindNow <= 0 {
		r.target = ""
		return 0, nil
	}
	if r.target == "" || st.BehindTarget <= 0 {
		// Behind what the primary has now, but not behind what it had at the
		// last check: the lag is counted from here.
		r.target, r.since = primaryLSN, now
	}
	return now.Sub(r.since), nil
}
