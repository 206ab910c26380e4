-- +goose Up
-- A fuller agreement (issue 20): where the provider's service is registered
-- (the CQC location and its address), any amount over the budget that a
-- budget approver allowed and who allowed it, and each party's acceptance:
-- the council's when the start date is agreed, the provider's from its portal.
ALTER TABLE agreements
    ADD COLUMN cqc_location_id          text NOT NULL DEFAULT '',
    ADD COLUMN location_name            text NOT NULL DEFAULT '',
    ADD COLUMN location_address         text NOT NULL DEFAULT '',
    ADD COLUMN over_budget_pence        bigint NOT NULL DEFAULT 0 CHECK (over_budget_pence >= 0),
    ADD COLUMN over_budget_approver     text NOT NULL DEFAULT '',
    ADD COLUMN over_budget_approved_at  timestamptz,
    ADD COLUMN council_accepted_by_name text NOT NULL DEFAULT '',
    ADD COLUMN provider_accepted_at     timestamptz,
    ADD COLUMN provider_accepted_by     uuid REFERENCES users(id),
    ADD COLUMN provider_accepted_by_name text NOT NULL DEFAULT '',
    ADD CONSTRAINT agreements_provider_accepted CHECK ((provider_accepted_at IS NULL) = (provider_accepted_by IS NULL)),
    ADD CONSTRAINT agreements_over_budget_approved CHECK ((over_budget_pence = 0) OR (over_budget_approver <> '' AND over_budget_approved_at IS NOT NULL));

-- +goose Down
ALTER TABLE agreements
    DROP CONSTRAINT agreements_over_budget_approved, DROP CONSTRAINT agreements_provider_accepted,
    DROP COLUMN provider_accepted_by_name, DROP COLUMN provider_accepted_by, DROP COLUMN provider_accepted_at,
    DROP COLUMN council_accepted_by_name, DROP COLUMN over_budget_approved_at, DROP COLUMN over_budget_approver,
    DROP COLUMN over_budget_pence, DROP COLUMN location_address, DROP COLUMN location_name, DROP COLUMN cqc_location_id;
