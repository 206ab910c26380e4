-- +goose Up
-- Brokerage requests: one per arranged need of a signed-off plan. What the
-- matcher needs is copied from the plan and the person at sign-off, so the
-- request reads the same however the person's record changes later.
CREATE SEQUENCE request_reference_seq;
CREATE TABLE requests (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    reference           text NOT NULL UNIQUE DEFAULT ('BR-' || lpad(nextval('request_reference_seq')::text, 6, '0')),
    plan_id             uuid NOT NULL REFERENCES plans(id),
    need_id             uuid NOT NULL UNIQUE REFERENCES plan_needs(id),
    person_id           uuid NOT NULL REFERENCES persons(id),
    team                text NOT NULL,
    service_type        text NOT NULL,
    specialist          boolean NOT NULL,
    hours_per_week      integer NOT NULL CHECK (hours_per_week >= 0),
    places              integer NOT NULL CHECK (places >= 0),
    start_date          date NOT NULL,
    budget_weekly_pence bigint NOT NULL CHECK (budget_weekly_pence > 0),
    funding             text NOT NULL CHECK (funding IN ('council','self_funded','individual_service_fund')),
    urgency             text NOT NULL CHECK (urgency IN ('urgent','interim','standard')),
    postcode            text NOT NULL,
    latitude            double precision,
    longitude           double precision,
    language            text NOT NULL DEFAULT '',
    carer_gender        text NOT NULL DEFAULT '',
    cultural_needs      text NOT NULL DEFAULT '',
    important_to_them   text NOT NULL DEFAULT '',
    out_of_area         boolean NOT NULL DEFAULT false,
    host_area           text NOT NULL DEFAULT '',
    status              text NOT NULL CHECK (status IN ('open','matching','invited','offers_received','chosen','agreed','cancelled','on_hold','no_offers')),
    held_from           text NOT NULL DEFAULT '',
    response_deadline   timestamptz,
    chosen_offer_id     uuid,
    agreed_start_date   date,
    agreement_id        uuid,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    CONSTRAINT requests_amount CHECK ((hours_per_week > 0) <> (places > 0)),
    CONSTRAINT requests_hold CHECK ((status = 'on_hold') = (held_from <> '')),
    CONSTRAINT requests_deadline CHECK (status NOT IN ('invited','offers_received','no_offers') OR response_deadline IS NOT NULL),
    CONSTRAINT requests_chosen CHECK (status NOT IN ('chosen','agreed') OR chosen_offer_id IS NOT NULL),
    CONSTRAINT requests_agreed CHECK ((status = 'agreed') = (agreement_id IS NOT NULL AND agreed_start_date IS NOT NULL))
);
CREATE INDEX requests_queue_idx ON requests (status, response_deadline);
CREATE INDEX requests_person_idx ON requests (person_id, created_at);
CREATE INDEX requests_team_idx ON requests (team, created_at);
CREATE INDEX requests_deadline_idx ON requests (response_deadline) WHERE status IN ('invited','offers_received');

-- Every state change of a request: who, when, why, from and to.
CREATE TABLE request_transitions (
    id            bigserial PRIMARY KEY,
    request_id    uuid NOT NULL REFERENCES requests(id),
    from_status   text NOT NULL DEFAULT '',
    to_status     text NOT NULL,
    at            timestamptz NOT NULL,
    actor_user_id uuid,
    actor_role    text NOT NULL,
    on_behalf_of  text NOT NULL DEFAULT '',
    reason        text NOT NULL DEFAULT ''
);
CREATE INDEX request_transitions_request_idx ON request_transitions (request_id, id);

-- +goose Down
DROP TABLE request_transitions;
DROP TABLE requests;
DROP SEQUENCE request_reference_seq;
