-- +goose Up
-- Service agreements: created when a start date is agreed, inside the
-- brokerage's transaction. The reference (SA-2026-000123) comes from a
-- sequence: unique and increasing, with gaps where a transaction rolled back.
--
-- request_id, offer_id, plan_id and person_id name brokerage rows and
-- provider_org_id and service_id provider rows. Those tables are owned by
-- other packages and were not on main when this was written, so there are no
-- foreign keys to them yet; the owning migrations may add them.
CREATE SEQUENCE agreement_reference_seq;

CREATE TABLE agreements (
    id                 uuid PRIMARY KEY,
    reference          text NOT NULL UNIQUE CHECK (reference ~ '^SA-[0-9]{4}-[0-9]{6,}$'),
    request_id         uuid NOT NULL,
    offer_id           uuid NOT NULL,
    plan_id            uuid NOT NULL,
    person_id          uuid NOT NULL,
    provider_org_id    uuid NOT NULL,
    service_id         uuid NOT NULL,
    person_name        text NOT NULL CHECK (person_name <> ''),
    provider_name      text NOT NULL CHECK (provider_name <> ''),
    service_name       text NOT NULL CHECK (service_name <> ''),
    service_type       text NOT NULL CHECK (service_type <> ''),
    team               text NOT NULL CHECK (team <> ''),
    hours_per_week     integer NOT NULL DEFAULT 0 CHECK (hours_per_week BETWEEN 0 AND 168),
    places             integer NOT NULL DEFAULT 0 CHECK (places >= 0),
    hourly_rate_pence  bigint NOT NULL CHECK (hourly_rate_pence >= 0),
    weekly_cost_pence  bigint NOT NULL CHECK (weekly_cost_pence > 0),
    start_date         date NOT NULL,
    welfare_check_due  date NOT NULL,
    first_review_from  date NOT NULL,
    first_review_by    date NOT NULL,
    annual_review_due  date NOT NULL,
    terms_version      text NOT NULL,
    funding            text NOT NULL CHECK (funding IN ('council','self_funded','individual_service_fund')),
    status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active','ended','varied')),
    information_pack   jsonb NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    created_by         uuid REFERENCES users(id),
    ended_at           timestamptz,
    -- Whole hours per week or whole places, never both and never neither.
    CONSTRAINT agreements_hours_or_places CHECK ((hours_per_week > 0) <> (places > 0)),
    CONSTRAINT agreements_review_order CHECK (
        start_date < welfare_check_due AND welfare_check_due < first_review_from
        AND first_review_from <= first_review_by AND first_review_by < annual_review_due),
    CONSTRAINT agreements_ended CHECK ((status = 'active') = (ended_at IS NULL))
);
-- The backstop for "exactly one agreement per request": even a caller that
-- forgot to lock the request cannot create a second active agreement.
CREATE UNIQUE INDEX agreements_one_active_per_request ON agreements (request_id) WHERE status = 'active';
CREATE INDEX agreements_person_idx ON agreements (person_id);
CREATE INDEX agreements_provider_org_idx ON agreements (provider_org_id);
CREATE INDEX agreements_team_idx ON agreements (team);

-- Review tasks for the practitioner's team: the 72-hour welfare check, the
-- first formal review (due between 6 and 8 weeks after the start) and the
-- yearly reviews. Completing a yearly review schedules the next one.
CREATE TABLE review_tasks (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agreement_id  uuid NOT NULL REFERENCES agreements(id),
    person_id     uuid NOT NULL,
    team          text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('welfare_check','first_review','annual_review')),
    due_from      date NOT NULL,
    due_by        date NOT NULL,
    status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open','completed')),
    outcome       text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    completed_at  timestamptz,
    completed_by  uuid REFERENCES users(id),
    CONSTRAINT review_tasks_window CHECK (due_from <= due_by),
    CONSTRAINT review_tasks_completed CHECK ((status = 'completed') = (completed_at IS NOT NULL)),
    CONSTRAINT review_tasks_once UNIQUE (agreement_id, kind, due_by)
);
CREATE INDEX review_tasks_team_due_idx ON review_tasks (team, due_by);

-- +goose Down
DROP TABLE review_tasks;
DROP TABLE agreements;
DROP SEQUENCE agreement_reference_seq;
