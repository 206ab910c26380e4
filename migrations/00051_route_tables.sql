-- +goose Up
-- The routes other than brokerage (issue 9). Each row hangs off the need's
-- referral (need_referrals), which carries the route's state.

-- The direct payment process: the queue of the direct payment team, with the
-- amount and how often it is paid. Set up when the first payment is arranged.
CREATE TABLE direct_payments (
    need_id                 uuid PRIMARY KEY REFERENCES need_referrals(need_id),
    plan_id                 uuid NOT NULL REFERENCES plans(id),
    person_id               uuid NOT NULL REFERENCES persons(id),
    team                    text NOT NULL,
    for_carer               boolean NOT NULL DEFAULT false,
    amount_pence            bigint NOT NULL CHECK (amount_pence > 0),
    frequency               text NOT NULL CHECK (frequency IN ('weekly','four_weekly','monthly')),
    weekly_equivalent_pence bigint NOT NULL CHECK (weekly_equivalent_pence > 0),
    purchase                text NOT NULL,
    first_payment_on        date,
    payment_reference       text NOT NULL DEFAULT '',
    set_up_by               uuid REFERENCES users(id),
    set_up_at               timestamptz,
    created_at              timestamptz NOT NULL,
    CONSTRAINT direct_payments_set_up CHECK ((set_up_at IS NULL) = (first_payment_on IS NULL))
);
CREATE INDEX direct_payments_team_idx ON direct_payments (team, created_at);

-- Annual monitoring of a direct payment: what was paid and spent over a
-- period against the plan. Money unspent beyond the contingency the council
-- lets people keep is to be reclaimed, and that triggers a review.
CREATE TABLE direct_payment_monitoring (
    id                uuid PRIMARY KEY,
    need_id           uuid NOT NULL REFERENCES direct_payments(need_id),
    period_from       date NOT NULL,
    period_to         date NOT NULL,
    expected_pence    bigint NOT NULL CHECK (expected_pence >= 0),
    paid_pence        bigint NOT NULL CHECK (paid_pence >= 0),
    spent_pence       bigint NOT NULL CHECK (spent_pence >= 0),
    unspent_pence     bigint NOT NULL,
    contingency_pence bigint NOT NULL CHECK (contingency_pence >= 0),
    reclaim_pence     bigint NOT NULL CHECK (reclaim_pence >= 0),
    note              text NOT NULL DEFAULT '',
    review_task_id    uuid REFERENCES review_tasks(id),
    recorded_by       uuid REFERENCES users(id),
    recorded_at       timestamptz NOT NULL,
    CONSTRAINT direct_payment_monitoring_period CHECK (period_from < period_to),
    CONSTRAINT direct_payment_monitoring_unspent CHECK (unspent_pence = paid_pence - spent_pence),
    CONSTRAINT direct_payment_monitoring_reclaim CHECK (reclaim_pence <= greatest(unspent_pence, 0)),
    CONSTRAINT direct_payment_monitoring_review CHECK ((reclaim_pence > 0) = (review_task_id IS NOT NULL)),
    CONSTRAINT direct_payment_monitoring_once UNIQUE (need_id, period_from)
);

-- Alternative services (housing, benefits, health, college, transport,
-- community groups, charities): who arranges them and by when. The council's
-- duty is discharged only once one is confirmed in place.
CREATE TABLE alternative_arrangements (
    need_id        uuid PRIMARY KEY REFERENCES need_referrals(need_id),
    plan_id        uuid NOT NULL REFERENCES plans(id),
    person_id      uuid NOT NULL REFERENCES persons(id),
    team           text NOT NULL,
    service        text NOT NULL CHECK (service IN ('housing','welfare_benefits','health','college','transport','community_group','charity')),
    arranged_by    text NOT NULL CHECK (length(btrim(arranged_by)) BETWEEN 1 AND 200),
    due_by         date NOT NULL,
    confirmed_note text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL
);
CREATE INDEX alternative_arrangements_team_due_idx ON alternative_arrangements (team, due_by);

-- Professional support a practitioner gives personally (long-term planning,
-- wellbeing visits, advocacy, counselling), agreed with their line manager,
-- visible on the person's record and reviewed.
CREATE TABLE professional_support (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    person_id   uuid NOT NULL REFERENCES persons(id),
    team        text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('long_term_planning','wellbeing_visits','advocacy','counselling')),
    description text NOT NULL CHECK (length(btrim(description)) BETWEEN 1 AND 2000),
    agreed_with text NOT NULL CHECK (length(btrim(agreed_with)) BETWEEN 1 AND 200),
    provided_by uuid NOT NULL REFERENCES users(id),
    starts_on   date NOT NULL,
    status      text NOT NULL CHECK (status IN ('active','ended')),
    ended_at    timestamptz,
    end_reason  text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    CONSTRAINT professional_support_ended CHECK ((status = 'ended') = (ended_at IS NOT NULL))
);
CREATE INDEX professional_support_person_idx ON professional_support (person_id, created_at);

-- Proportionate records of the professional support given.
CREATE TABLE professional_support_records (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    support_id  uuid NOT NULL REFERENCES professional_support(id),
    on_date     date NOT NULL,
    note        text NOT NULL CHECK (length(btrim(note)) BETWEEN 1 AND 2000),
    recorded_by uuid REFERENCES users(id),
    recorded_at timestamptz NOT NULL
);
CREATE INDEX professional_support_records_idx ON professional_support_records (support_id, on_date);

-- +goose Down
DROP TABLE professional_support_records;
DROP TABLE professional_support;
DROP TABLE alternative_arrangements;
DROP TABLE direct_payment_monitoring;
DROP TABLE direct_payments;
