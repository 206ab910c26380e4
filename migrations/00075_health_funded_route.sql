-- +goose Up
-- A need met by NHS-funded care (the health_funded route).
ALTER TABLE plan_needs DROP CONSTRAINT plan_needs_how_met_check,
    ADD CONSTRAINT plan_needs_how_met_check CHECK (how_met IN
        ('council_arranged','individual_service_fund','direct_payment','own_resources','alternative_service','health_funded'));
ALTER TABLE need_referrals DROP CONSTRAINT need_referrals_route_check,
    ADD CONSTRAINT need_referrals_route_check CHECK (route IN ('direct_payment','own_resources','alternative_service','health_funded'));

-- +goose Down
ALTER TABLE need_referrals DROP CONSTRAINT need_referrals_route_check,
    ADD CONSTRAINT need_referrals_route_check CHECK (route IN ('direct_payment','own_resources','alternative_service'));
ALTER TABLE plan_needs DROP CONSTRAINT plan_needs_how_met_check,
    ADD CONSTRAINT plan_needs_how_met_check CHECK (how_met IN
        ('council_arranged','individual_service_fund','direct_payment','own_resources','alternative_service'));
