-- +goose Up
-- After the agreement the package lives (issue 16): an agreement is a package
-- of dated lines. A change is a new line from a date; the line it replaces
-- ends the day before (a line that had not started by then is withdrawn, kept
-- for the record). Each agreement is one element (its one service), so the
-- lines of one agreement never overlap in days: the exclusion constraint
-- refuses it even if the code were wrong. Owned by package packages/.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- One row per agreement: every change locks it, and its version moves with
-- every change made or asked, so two changes made on the same sight of the
-- package cannot both go through.
CREATE TABLE packages (
    agreement_id uuid PRIMARY KEY REFERENCES agreements(id),
    version      integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- A change asked for or made: by the council (made at once) or by the
-- provider (asked; applied only when council staff approve it).
CREATE TABLE package_changes (
    id                uuid PRIMARY KEY,
    agreement_id      uuid NOT NULL REFERENCES packages(agreement_id),
    kind              text NOT NULL CHECK (kind IN ('start','hours','price','suspend','resume','end','uplift')),
    side              text NOT NULL CHECK (side IN ('council','provider')),
    status            text NOT NULL CHECK (status IN ('asked','applied','refused')),
    effective_from    date NOT NULL,
    hours_per_week    integer CHECK (hours_per_week BETWEEN 1 AND 168),
    places            integer CHECK (places BETWEEN 1 AND 1000),
    unit_price_pence  bigint CHECK (unit_price_pence > 0),
    returns_on        date CHECK (returns_on > effective_from),
    cause             text NOT NULL DEFAULT '',
    reason            text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 2000),
    uplift_id         uuid,
    asked_by          uuid REFERENCES users(id),
    asked_at          timestamptz NOT NULL,
    decided_by        uuid REFERENCES users(id),
    decided_at        timestamptz,
    decision_reason   text NOT NULL DEFAULT '',
    CONSTRAINT package_changes_decided CHECK ((status = 'asked') = (decided_at IS NULL)),
    CONSTRAINT package_changes_refused CHECK (status <> 'refused' OR length(btrim(decision_reason)) > 0)
);
-- A provider asks one thing at a time.
CREATE UNIQUE INDEX package_changes_one_asked ON package_changes (agreement_id) WHERE status = 'asked';
CREATE INDEX package_changes_agreement_idx ON package_changes (agreement_id, asked_at);
CREATE INDEX package_changes_asked_idx ON package_changes (asked_at) WHERE status = 'asked';
-- An uplift changes each package once.
CREATE UNIQUE INDEX package_changes_uplift_once ON package_changes (uplift_id, agreement_id) WHERE uplift_id IS NOT NULL;

CREATE TABLE package_lines (
    id                uuid PRIMARY KEY,
    agreement_id      uuid NOT NULL REFERENCES packages(agreement_id),
    change_id         uuid NOT NULL REFERENCES package_changes(id),
    kind              text NOT NULL CHECK (kind IN ('service','suspended')),
    service_id        uuid NOT NULL,
    hours_per_week    integer NOT NULL DEFAULT 0 CHECK (hours_per_week BETWEEN 0 AND 168),
    places            integer NOT NULL DEFAULT 0 CHECK (places >= 0),
    -- The price of an hour (care counted in hours) or of a place for a week.
    unit_price_pence  bigint NOT NULL CHECK (unit_price_pence >= 0),
    weekly_cost_pence bigint NOT NULL CHECK (weekly_cost_pence >= 0),
    from_date         date NOT NULL,
    to_date           date,
    reason            text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 2000),
    created_by        uuid REFERENCES users(id),
    created_at        timestamptz NOT NULL,
    withdrawn_at      timestamptz,
    withdrawn_by      uuid REFERENCES package_changes(id),
    CONSTRAINT package_lines_units CHECK ((hours_per_week > 0) <> (places > 0)),
    CONSTRAINT package_lines_dates CHECK (to_date IS NULL OR to_date >= from_date),
    CONSTRAINT package_lines_withdrawn CHECK ((withdrawn_at IS NULL) = (withdrawn_by IS NULL)),
    CONSTRAINT package_lines_no_overlap EXCLUDE USING gist (
        agreement_id WITH =, daterange(from_date, to_date, '[]') WITH &&) WHERE (withdrawn_at IS NULL)
);
CREATE INDEX package_lines_agreement_idx ON package_lines (agreement_id, from_date);

-- A provider's contract terms for changes: the retainer a care home is paid
-- while its resident is away (retainer_percent of the weekly cost for the
-- first retainer_weeks weeks, nothing after), and the notice an end needs.
-- An organisation without a row has the defaults in packages.DefaultTerms.
CREATE TABLE package_contract_terms (
    provider_org_id  uuid PRIMARY KEY REFERENCES provider_organisations(id),
    retainer_percent integer NOT NULL CHECK (retainer_percent BETWEEN 0 AND 100),
    retainer_weeks   integer NOT NULL CHECK (retainer_weeks BETWEEN 0 AND 52),
    notice_days      integer NOT NULL CHECK (notice_days BETWEEN 0 AND 365),
    updated_at       timestamptz NOT NULL,
    updated_by       uuid REFERENCES users(id)
);

-- An annual uplift the council publishes: a percentage applied to the lines
-- of a framework's packages from a day, in one step.
CREATE TABLE package_uplifts (
    id             uuid PRIMARY KEY,
    framework_id   uuid NOT NULL REFERENCES frameworks(id),
    basis_points   integer NOT NULL CHECK (basis_points BETWEEN -5000 AND 10000),
    effective_from date NOT NULL,
    reason         text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 2000),
    applied        integer NOT NULL DEFAULT 0,
    skipped        integer NOT NULL DEFAULT 0,
    created_by     uuid REFERENCES users(id),
    created_at     timestamptz NOT NULL,
    UNIQUE (framework_id, effective_from)
);

-- Every agreement made before this migration becomes a package of one line.
INSERT INTO packages (agreement_id, updated_at) SELECT id, created_at FROM agreements;
INSERT INTO package_changes (id, agreement_id, kind, side, status, effective_from, reason, asked_by, asked_at, decided_by, decided_at)
SELECT gen_random_uuid(), id, 'start', 'council', 'applied', start_date, 'The service agreement ' || reference || ' starts',
       created_by, created_at, created_by, created_at
  FROM agreements;
INSERT INTO package_lines (id, agreement_id, change_id, kind, service_id, hours_per_week, places, unit_price_pence,
                           weekly_cost_pence, from_date, to_date, reason, created_by, created_at)
SELECT gen_random_uuid(), a.id, c.id, 'service', a.service_id, a.hours_per_week, a.places,
       CASE WHEN a.hours_per_week > 0 THEN a.hourly_rate_pence ELSE a.weekly_cost_pence / a.places END,
       a.weekly_cost_pence, a.start_date, a.ends_on, c.reason, a.created_by, a.created_at
  FROM agreements a JOIN package_changes c ON c.agreement_id = a.id AND c.kind = 'start'
 WHERE a.ends_on IS NULL OR a.ends_on >= a.start_date;

-- +goose Down
DROP TABLE package_uplifts;
DROP TABLE package_contract_terms;
DROP TABLE package_lines;
DROP TABLE package_changes;
DROP TABLE packages;
