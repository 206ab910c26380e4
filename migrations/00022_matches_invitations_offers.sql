-- +goose Up
-- Each run of the matcher on a request, with the ranked and excluded
-- services and their structured reasons, so the decision can be explained
-- later exactly as it was made.
CREATE TABLE match_runs (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    request_id  uuid NOT NULL REFERENCES requests(id),
    run_at      timestamptz NOT NULL,
    run_by      uuid,
    considered  integer NOT NULL CHECK (considered >= 0),
    ranked      jsonb NOT NULL,
    excluded    jsonb NOT NULL,
    providers   jsonb NOT NULL DEFAULT '{}'::jsonb  -- provider organisation id -> name, as at the run
);
CREATE INDEX match_runs_request_idx ON match_runs (request_id, run_at DESC);

-- A request sent to one provider service, with a response deadline.
CREATE TABLE invitations (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    request_id       uuid NOT NULL REFERENCES requests(id),
    match_run_id     uuid NOT NULL REFERENCES match_runs(id),
    provider_org_id  uuid NOT NULL REFERENCES provider_organisations(id),
    service_id       uuid NOT NULL REFERENCES provider_services(id),
    provider_name    text NOT NULL,
    service_name     text NOT NULL,
    rank             integer NOT NULL CHECK (rank >= 1),
    status           text NOT NULL CHECK (status IN ('sent','offered','declined')),
    invited_by       uuid NOT NULL,
    invited_at       timestamptz NOT NULL,
    deadline         timestamptz NOT NULL,
    decline_reason   text NOT NULL DEFAULT '',
    declined_at      timestamptz,
    chase_count      integer NOT NULL DEFAULT 0,
    last_chased_at   timestamptz,
    UNIQUE (request_id, service_id),
    CONSTRAINT invitations_declined CHECK ((status = 'declined') = (declined_at IS NOT NULL AND decline_reason <> ''))
);
CREATE INDEX invitations_org_idx ON invitations (provider_org_id, invited_at DESC);

-- A provider's answer to an invitation. One live (open or chosen) offer per
-- invitation and one chosen offer per request, whatever the code does.
CREATE TABLE offers (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    invitation_id      uuid NOT NULL REFERENCES invitations(id),
    request_id         uuid NOT NULL REFERENCES requests(id),
    provider_org_id    uuid NOT NULL REFERENCES provider_organisations(id),
    service_id         uuid NOT NULL REFERENCES provider_services(id),
    weekly_price_pence bigint NOT NULL CHECK (weekly_price_pence > 0),
    hourly_rate_pence  bigint NOT NULL DEFAULT 0 CHECK (hourly_rate_pence >= 0),
    hours_per_week     integer NOT NULL DEFAULT 0 CHECK (hours_per_week BETWEEN 0 AND 168),
    places             integer NOT NULL DEFAULT 0 CHECK (places >= 0),
    earliest_start     date NOT NULL,
    valid_until        date NOT NULL,
    notes              text NOT NULL DEFAULT '',
    status             text NOT NULL CHECK (status IN ('open','withdrawn','chosen','not_chosen')),
    over_budget        boolean NOT NULL,
    approval           text NOT NULL CHECK (approval IN ('not_needed','pending','approved','rejected')),
    approval_by        uuid,
    approval_at        timestamptz,
    approval_note      text NOT NULL DEFAULT '',
    created_by         uuid NOT NULL,
    created_at         timestamptz NOT NULL,
    withdrawn_at       timestamptz,
    withdraw_reason    text NOT NULL DEFAULT '',
    CONSTRAINT offers_amount CHECK ((hours_per_week > 0) <> (places > 0)),
    CONSTRAINT offers_approval CHECK (over_budget = (approval <> 'not_needed')),
    CONSTRAINT offers_chosen_approved CHECK (status <> 'chosen' OR approval IN ('not_needed','approved'))
);
CREATE UNIQUE INDEX offers_one_live_per_invitation ON offers (invitation_id) WHERE status IN ('open','chosen');
CREATE UNIQUE INDEX offers_one_chosen_per_request ON offers (request_id) WHERE status = 'chosen';
CREATE INDEX offers_request_idx ON offers (request_id, created_at);
CREATE INDEX offers_approval_idx ON offers (approval, created_at) WHERE approval = 'pending';

-- The person's pick among the offers: by the person, their representative,
-- or a broker recording it on their behalf (said so here and in the audit).
CREATE TABLE choices (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    request_id          uuid NOT NULL UNIQUE REFERENCES requests(id),
    offer_id            uuid NOT NULL REFERENCES offers(id),
    chosen_by           uuid NOT NULL,
    chosen_by_role      text NOT NULL,
    chosen_as           text NOT NULL CHECK (chosen_as IN ('person','representative','broker_on_behalf')),
    representative_name text NOT NULL DEFAULT '',
    reason              text NOT NULL DEFAULT '',
    at                  timestamptz NOT NULL,
    CONSTRAINT choices_representative CHECK ((chosen_as = 'representative') = (representative_name <> ''))
);

ALTER TABLE requests ADD CONSTRAINT requests_chosen_offer_fk FOREIGN KEY (chosen_offer_id) REFERENCES offers(id);

-- +goose Down
ALTER TABLE requests DROP CONSTRAINT requests_chosen_offer_fk;
DROP TABLE choices;
DROP TABLE offers;
DROP TABLE invitations;
DROP TABLE match_runs;
