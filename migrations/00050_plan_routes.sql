-- +goose Up
-- Every way a plan is met (issue 9). Plans gain versions (a review makes a
-- new signed-off plan that supersedes the old one, which stays frozen),
-- interim plans (urgent or interim support arranged before the full plan, or
-- while an alternative service is late), and carers' support plans name the
-- person cared for, for whom their services are arranged. Needs gain the
-- terms of a direct payment, who arranges an alternative service and by
-- when, and the need of an earlier plan they follow on from.
--
-- Constraints added to tables that may already hold rows are NOT VALID: they
-- hold for every row written from now on, and older rows keep their meaning.

ALTER TABLE plans
    ADD COLUMN interim             boolean NOT NULL DEFAULT false,
    ADD COLUMN cared_for_person_id uuid REFERENCES persons(id),
    ADD COLUMN supersedes_plan_id  uuid REFERENCES plans(id),
    ADD COLUMN covers_need_id      uuid REFERENCES plan_needs(id);
-- A plan is superseded at most once: two reviews racing to change the same
-- plan cannot both win.
CREATE UNIQUE INDEX plans_superseded_once ON plans (supersedes_plan_id) WHERE supersedes_plan_id IS NOT NULL;
CREATE INDEX plans_covers_need_idx ON plans (covers_need_id) WHERE covers_need_id IS NOT NULL;
-- Interim plans and the versions reviews make are written as drafts and
-- signed off in the same transaction: they never wait for sign-off, so a
-- draft the practitioner is still writing does not stand in their way.
DROP INDEX plans_one_draft_per_person;
CREATE UNIQUE INDEX plans_one_draft_per_person ON plans (person_id)
    WHERE status = 'draft' AND NOT interim AND supersedes_plan_id IS NULL;
-- Self-funders pay for their own care: no personal budget is needed.
ALTER TABLE plans DROP CONSTRAINT plans_budget_weekly_pence_check;
ALTER TABLE plans
    ADD CONSTRAINT plans_budget CHECK (budget_weekly_pence > 0 OR (self_funded AND budget_weekly_pence = 0)),
    ADD CONSTRAINT plans_carer CHECK ((kind = 'carers_support') = (cared_for_person_id IS NOT NULL)) NOT VALID,
    ADD CONSTRAINT plans_carer_not_self CHECK (cared_for_person_id <> person_id),
    ADD CONSTRAINT plans_interim_shape CHECK (NOT interim OR (supersedes_plan_id IS NULL AND kind = 'care_and_support')),
    ADD CONSTRAINT plans_covers_interim CHECK (covers_need_id IS NULL OR interim);

ALTER TABLE plan_needs
    ADD COLUMN previous_need_id        uuid REFERENCES plan_needs(id),
    ADD COLUMN direct_payment          jsonb,
    ADD COLUMN alternative_arranged_by text NOT NULL DEFAULT '',
    ADD COLUMN alternative_due_by      date;
-- An arranged need of a self-funder has no weekly budget: the budget part of
-- the old shape moves to the code, which knows whether the plan is self-funded.
ALTER TABLE plan_needs DROP CONSTRAINT plan_needs_arranged_shape;
ALTER TABLE plan_needs
    ADD CONSTRAINT plan_needs_arranged_shape CHECK (
        how_met NOT IN ('council_arranged','individual_service_fund')
        OR (service_type <> '' AND start_date IS NOT NULL AND urgency <> '' AND ((hours_per_week > 0) <> (places > 0)))),
    ADD CONSTRAINT plan_needs_direct_payment CHECK ((how_met = 'direct_payment') = (direct_payment IS NOT NULL)) NOT VALID,
    ADD CONSTRAINT plan_needs_alternative CHECK (
        (how_met = 'alternative_service') = (alternative_due_by IS NOT NULL AND alternative_arranged_by <> '')) NOT VALID,
    -- The legal restrictions on direct payments, as a backstop for the code
    -- that names them (brokerage/direct_payment.go): never health care, never
    -- a council's own services, residential or nursing care only as short
    -- stays of up to four weeks at least four weeks apart, a close relative
    -- in the household only with an exceptional-circumstances decision, and
    -- equipment only with a recorded exception.
    ADD CONSTRAINT plan_needs_direct_payment_restrictions CHECK (direct_payment IS NULL OR (
        coalesce(direct_payment->>'purchase', '') <> 'health_care'
        AND NOT coalesce((direct_payment->>'from_council')::boolean, false)
        AND (coalesce(direct_payment->>'purchase', '') NOT IN ('residential_care','nursing_care')
             OR (coalesce((direct_payment->'short_stays'->>'max_weeks')::int, 0) BETWEEN 1 AND 4
                 AND coalesce((direct_payment->'short_stays'->>'weeks_between')::int, 0) >= 4))
        AND (NOT coalesce((direct_payment->>'employs_close_relative_in_household')::boolean, false)
             OR coalesce(direct_payment->>'exceptional_circumstances_decision', '') <> '')
        AND (coalesce(direct_payment->>'purchase', '') <> 'equipment'
             OR coalesce(direct_payment->>'equipment_exception', '') <> '')));

-- How a need of a signed-off plan follows on from a need of an earlier one:
-- it continues it unchanged (the earlier arrangement goes on meeting it) or
-- replaces it (a new arrangement is made; the earlier one, if in place, ends
-- when the new one is). Each need is followed on from at most once.
CREATE TABLE need_successions (
    previous_need_id uuid PRIMARY KEY REFERENCES plan_needs(id),
    need_id          uuid NOT NULL UNIQUE REFERENCES plan_needs(id),
    kind             text NOT NULL CHECK (kind IN ('continues','replaces')),
    created_at       timestamptz NOT NULL,
    CONSTRAINT need_successions_not_self CHECK (previous_need_id <> need_id)
);

-- The routes other than brokerage now have a state: awaiting (the direct
-- payment is not set up, the alternative service not confirmed in place), met,
-- or ended (stopped, or replaced by a later arrangement).
ALTER TABLE need_referrals
    ADD COLUMN met_at     timestamptz,
    ADD COLUMN met_by     uuid REFERENCES users(id),
    ADD COLUMN ended_at   timestamptz,
    ADD COLUMN end_reason text NOT NULL DEFAULT '',
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
    ADD CONSTRAINT need_referrals_status CHECK (status IN ('awaiting','met','ended')),
    ADD CONSTRAINT need_referrals_met CHECK (status <> 'met' OR met_at IS NOT NULL),
    ADD CONSTRAINT need_referrals_ended CHECK ((status = 'ended') = (ended_at IS NOT NULL));

-- A self-funder's request has no budget cap.
ALTER TABLE requests DROP CONSTRAINT requests_budget_weekly_pence_check;
ALTER TABLE requests ADD CONSTRAINT requests_budget CHECK (budget_weekly_pence > 0 OR (funding = 'self_funded' AND budget_weekly_pence = 0));

-- +goose Down
ALTER TABLE requests DROP CONSTRAINT requests_budget;
ALTER TABLE requests ADD CONSTRAINT requests_budget_weekly_pence_check CHECK (budget_weekly_pence > 0) NOT VALID;
ALTER TABLE need_referrals
    DROP CONSTRAINT need_referrals_status, DROP CONSTRAINT need_referrals_met, DROP CONSTRAINT need_referrals_ended,
    DROP COLUMN met_at, DROP COLUMN met_by, DROP COLUMN ended_at, DROP COLUMN end_reason, DROP COLUMN updated_at;
DROP TABLE need_successions;
ALTER TABLE plan_needs DROP CONSTRAINT plan_needs_direct_payment_restrictions, DROP CONSTRAINT plan_needs_alternative,
    DROP CONSTRAINT plan_needs_direct_payment, DROP CONSTRAINT plan_needs_arranged_shape;
ALTER TABLE plan_needs ADD CONSTRAINT plan_needs_arranged_shape CHECK (
        how_met NOT IN ('council_arranged','individual_service_fund')
        OR (service_type <> '' AND start_date IS NOT NULL AND urgency <> '' AND weekly_budget_pence > 0
            AND ((hours_per_week > 0) <> (places > 0)))) NOT VALID;
ALTER TABLE plan_needs DROP COLUMN previous_need_id, DROP COLUMN direct_payment,
    DROP COLUMN alternative_arranged_by, DROP COLUMN alternative_due_by;
ALTER TABLE plans DROP CONSTRAINT plans_budget, DROP CONSTRAINT plans_carer, DROP CONSTRAINT plans_carer_not_self,
    DROP CONSTRAINT plans_interim_shape, DROP CONSTRAINT plans_covers_interim;
ALTER TABLE plans ADD CONSTRAINT plans_budget_weekly_pence_check CHECK (budget_weekly_pence > 0) NOT VALID;
DROP INDEX plans_one_draft_per_person;
CREATE UNIQUE INDEX plans_one_draft_per_person ON plans (person_id) WHERE status = 'draft';
DROP INDEX plans_covers_need_idx;
DROP INDEX plans_superseded_once;
ALTER TABLE plans DROP COLUMN covers_need_id, DROP COLUMN supersedes_plan_id, DROP COLUMN cared_for_person_id, DROP COLUMN interim;
