-- +goose Up
-- Persons: the people care is arranged for. A client user (the person or
-- their representative) is bound to one person through users.person_id,
-- whose foreign key is added here now the table exists.
CREATE TABLE persons (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    date_of_birth       date NOT NULL,
    address             text NOT NULL CHECK (length(btrim(address)) BETWEEN 1 AND 500),
    postcode            text NOT NULL CHECK (postcode = upper(postcode)),
    latitude            double precision,
    longitude           double precision,
    team                text NOT NULL,
    representative_name text NOT NULL DEFAULT '',
    created_by          uuid REFERENCES users(id),
    created_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT persons_location_pair CHECK ((latitude IS NULL) = (longitude IS NULL))
);
CREATE INDEX persons_team_idx ON persons (team, name);
ALTER TABLE users ADD CONSTRAINT users_person_fk FOREIGN KEY (person_id) REFERENCES persons(id);

-- Care and Support Plans (or a carer's Support Plan). A plan is a draft until
-- a practitioner signs it off; from then on it is frozen (the triggers below
-- refuse any change to it or its needs). At most one draft per person.
CREATE TABLE plans (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    person_id           uuid NOT NULL REFERENCES persons(id),
    kind                text NOT NULL CHECK (kind IN ('care_and_support','carers_support')),
    team                text NOT NULL,
    status              text NOT NULL CHECK (status IN ('draft','signed_off')),
    budget_weekly_pence bigint NOT NULL CHECK (budget_weekly_pence > 0),
    contingency_pence   bigint NOT NULL DEFAULT 0 CHECK (contingency_pence >= 0),
    self_funded         boolean NOT NULL DEFAULT false,
    out_of_area         boolean NOT NULL DEFAULT false,
    host_area           text NOT NULL DEFAULT '',
    submitted_by        uuid NOT NULL REFERENCES users(id),
    submitted_at        timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    signed_off_by       uuid REFERENCES users(id),
    signed_off_at       timestamptz,
    CONSTRAINT plans_host_area CHECK (out_of_area = (host_area <> '')),
    CONSTRAINT plans_sign_off CHECK ((status = 'signed_off') = (signed_off_by IS NOT NULL AND signed_off_at IS NOT NULL))
);
CREATE UNIQUE INDEX plans_one_draft_per_person ON plans (person_id) WHERE status = 'draft';
CREATE INDEX plans_person_idx ON plans (person_id, submitted_at DESC);

-- The eligible needs of a plan, each with its outcome and how it is met.
-- Arranged needs (council_arranged, individual_service_fund) carry what
-- brokerage needs; the others are recorded here and routed (need_referrals).
CREATE TABLE plan_needs (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plan_id             uuid NOT NULL REFERENCES plans(id),
    position            integer NOT NULL CHECK (position >= 0),
    outcome             text NOT NULL CHECK (length(btrim(outcome)) > 0),
    how_met             text NOT NULL CHECK (how_met IN ('council_arranged','individual_service_fund','direct_payment','own_resources','alternative_service')),
    weekly_budget_pence bigint NOT NULL DEFAULT 0 CHECK (weekly_budget_pence >= 0),
    service_type        text NOT NULL DEFAULT '',
    specialist          boolean NOT NULL DEFAULT false,
    hours_per_week      integer NOT NULL DEFAULT 0 CHECK (hours_per_week BETWEEN 0 AND 168),
    places              integer NOT NULL DEFAULT 0 CHECK (places >= 0),
    start_date          date,
    urgency             text NOT NULL DEFAULT '' CHECK (urgency IN ('','urgent','interim','standard')),
    alternative_service text NOT NULL DEFAULT '',
    language            text NOT NULL DEFAULT '',
    carer_gender        text NOT NULL DEFAULT '' CHECK (carer_gender IN ('','female','male')),
    cultural_needs      text NOT NULL DEFAULT '',
    important_to_them   text NOT NULL DEFAULT '',
    UNIQUE (plan_id, position),
    CONSTRAINT plan_needs_arranged_shape CHECK (
        how_met NOT IN ('council_arranged','individual_service_fund')
        OR (service_type <> '' AND start_date IS NOT NULL AND urgency <> '' AND weekly_budget_pence > 0
            AND ((hours_per_week > 0) <> (places > 0))))
);

-- Needs met other than by brokerage, routed at sign-off to the process that
-- arranges them (the arrangement-routes issue builds these out).
CREATE TABLE need_referrals (
    need_id    uuid PRIMARY KEY REFERENCES plan_needs(id),
    plan_id    uuid NOT NULL REFERENCES plans(id),
    person_id  uuid NOT NULL REFERENCES persons(id),
    route      text NOT NULL CHECK (route IN ('direct_payment','own_resources','alternative_service')),
    status     text NOT NULL DEFAULT 'awaiting',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX need_referrals_route_idx ON need_referrals (route, status, created_at);

-- +goose StatementBegin
CREATE FUNCTION plans_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'signed_off' THEN
        RAISE EXCEPTION 'plan % is signed off and cannot be changed', OLD.id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER plans_freeze BEFORE UPDATE OR DELETE ON plans
    FOR EACH ROW EXECUTE FUNCTION plans_frozen();

-- +goose StatementBegin
CREATE FUNCTION plan_needs_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids uuid[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        ids := ARRAY[NEW.plan_id];
    ELSIF TG_OP = 'DELETE' THEN
        ids := ARRAY[OLD.plan_id];
    ELSE
        ids := ARRAY[OLD.plan_id, NEW.plan_id];
    END IF;
    IF EXISTS (SELECT 1 FROM plans WHERE id = ANY(ids) AND status = 'signed_off') THEN
        RAISE EXCEPTION 'the needs of a signed-off plan cannot be changed'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER plan_needs_freeze BEFORE INSERT OR UPDATE OR DELETE ON plan_needs
    FOR EACH ROW EXECUTE FUNCTION plan_needs_frozen();

-- +goose Down
DROP TABLE need_referrals;
DROP TABLE plan_needs;
DROP FUNCTION plan_needs_frozen();
DROP TABLE plans;
DROP FUNCTION plans_frozen();
ALTER TABLE users DROP CONSTRAINT users_person_fk;
DROP TABLE persons;
