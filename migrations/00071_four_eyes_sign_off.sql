-- +goose Up
-- Four-eyes sign-off (issue 15). A plan whose weekly personal budget is above
-- the amount the council sets (council_settings) needs two practitioners:
-- the first sign-off leaves it awaiting_second_sign_off, with no requests
-- yet; a second, different practitioner of the team signs it off, and only
-- then do its requests open. An awaiting plan is frozen like a signed-off
-- one (the second practitioner approves exactly what the first signed); a
-- change sends it back to draft, which withdraws the first sign-off.

ALTER TABLE plans DROP CONSTRAINT plans_status_check;
ALTER TABLE plans
    ADD CONSTRAINT plans_status_check CHECK (status IN ('draft', 'awaiting_second_sign_off', 'signed_off')),
    ADD COLUMN first_signed_off_by uuid REFERENCES users(id),
    ADD COLUMN first_signed_off_at timestamptz,
    ADD CONSTRAINT plans_first_sign_off CHECK ((first_signed_off_by IS NULL) = (first_signed_off_at IS NULL)),
    ADD CONSTRAINT plans_first_sign_off_state CHECK (CASE status
        WHEN 'draft' THEN first_signed_off_by IS NULL
        WHEN 'awaiting_second_sign_off' THEN first_signed_off_by IS NOT NULL
        ELSE true END),
    -- The four eyes: whoever signed first cannot also sign second.
    ADD CONSTRAINT plans_four_eyes CHECK (first_signed_off_by IS NULL OR signed_off_by IS NULL OR first_signed_off_by <> signed_off_by);

-- One plan in the making per person: a draft, or one awaiting its second sign-off.
DROP INDEX plans_one_draft_per_person;
CREATE UNIQUE INDEX plans_one_draft_per_person ON plans (person_id)
    WHERE status IN ('draft', 'awaiting_second_sign_off') AND NOT interim AND supersedes_plan_id IS NULL;
CREATE INDEX plans_awaiting_second_idx ON plans (team, first_signed_off_at) WHERE status = 'awaiting_second_sign_off';

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION plans_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'signed_off' THEN
        RAISE EXCEPTION 'plan % is signed off and cannot be changed', OLD.id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF OLD.status = 'awaiting_second_sign_off' THEN
        -- It may only leave that state (signed off, or back to draft), its
        -- content as the first practitioner signed it.
        IF TG_OP = 'DELETE' OR NEW.status = 'awaiting_second_sign_off'
           OR (NEW.person_id, NEW.kind, NEW.team, NEW.budget_weekly_pence, NEW.contingency_pence, NEW.self_funded,
               NEW.out_of_area, NEW.host_area, NEW.submitted_by, NEW.submitted_at, NEW.interim, NEW.cared_for_person_id,
               NEW.supersedes_plan_id, NEW.covers_need_id)
              IS DISTINCT FROM
              (OLD.person_id, OLD.kind, OLD.team, OLD.budget_weekly_pence, OLD.contingency_pence, OLD.self_funded,
               OLD.out_of_area, OLD.host_area, OLD.submitted_by, OLD.submitted_at, OLD.interim, OLD.cared_for_person_id,
               OLD.supersedes_plan_id, OLD.covers_need_id) THEN
            RAISE EXCEPTION 'plan % is awaiting its second sign-off and cannot be changed', OLD.id
                USING ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION plan_needs_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
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
    IF EXISTS (SELECT 1 FROM plans WHERE id = ANY(ids) AND status IN ('signed_off', 'awaiting_second_sign_off')) THEN
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

-- The council's settings: one row. An admin changes them (audited).
CREATE TABLE council_settings (
    id                                 boolean PRIMARY KEY DEFAULT true CHECK (id),
    -- A plan whose weekly personal budget is above this needs a second
    -- practitioner's sign-off.
    second_sign_off_above_weekly_pence bigint NOT NULL CHECK (second_sign_off_above_weekly_pence >= 0),
    updated_by                         uuid REFERENCES users(id),
    updated_at                         timestamptz NOT NULL DEFAULT now()
);
INSERT INTO council_settings (second_sign_off_above_weekly_pence) VALUES (150000);

-- +goose Down
DROP TABLE council_settings;
UPDATE plans SET status = 'draft', first_signed_off_by = NULL, first_signed_off_at = NULL
    WHERE status = 'awaiting_second_sign_off';
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION plans_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
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
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION plan_needs_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
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
DROP INDEX plans_awaiting_second_idx;
DROP INDEX plans_one_draft_per_person;
CREATE UNIQUE INDEX plans_one_draft_per_person ON plans (person_id)
    WHERE status = 'draft' AND NOT interim AND supersedes_plan_id IS NULL;
ALTER TABLE plans DROP CONSTRAINT plans_four_eyes, DROP CONSTRAINT plans_first_sign_off_state,
    DROP CONSTRAINT plans_first_sign_off, DROP COLUMN first_signed_off_at, DROP COLUMN first_signed_off_by,
    DROP CONSTRAINT plans_status_check;
ALTER TABLE plans ADD CONSTRAINT plans_status_check CHECK (status IN ('draft', 'signed_off'));
