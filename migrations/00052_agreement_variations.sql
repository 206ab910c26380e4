-- +goose Up
-- Ending and varying agreements, out-of-area placements, and review tasks
-- that are not about one agreement (issue 9).

-- An agreement records an out-of-area placement and its host council, and,
-- once it ends, on which day, why, and (when it was varied) its successor.
ALTER TABLE agreements
    ADD COLUMN out_of_area boolean NOT NULL DEFAULT false,
    ADD COLUMN host_area   text NOT NULL DEFAULT '',
    ADD COLUMN ends_on     date,
    ADD COLUMN end_reason  text NOT NULL DEFAULT '',
    ADD COLUMN replaced_by uuid REFERENCES agreements(id),
    ADD CONSTRAINT agreements_host_area CHECK (out_of_area = (host_area <> '')),
    ADD CONSTRAINT agreements_ends_on CHECK ((status = 'active') = (ends_on IS NULL)) NOT VALID,
    ADD CONSTRAINT agreements_replaced CHECK ((status = 'varied') = (replaced_by IS NOT NULL)) NOT VALID;

-- A change to an agreement decided at a review: the need it meets changed
-- (brokerage re-opened for the new need; the agreement goes on until the new
-- arrangement starts) or was removed (the agreement ends). source_key names
-- the change (the superseded plan), so the same change is recorded once.
CREATE TABLE agreement_variations (
    id                        uuid PRIMARY KEY,
    agreement_id              uuid NOT NULL REFERENCES agreements(id),
    kind                      text NOT NULL CHECK (kind IN ('change','end')),
    source_key                text NOT NULL CHECK (length(source_key) BETWEEN 1 AND 200),
    reason                    text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 2000),
    effective_on              date NOT NULL,
    hours_before              integer NOT NULL DEFAULT 0,
    hours_after               integer NOT NULL DEFAULT 0,
    places_before             integer NOT NULL DEFAULT 0,
    places_after              integer NOT NULL DEFAULT 0,
    weekly_cost_before        bigint NOT NULL DEFAULT 0,
    weekly_budget_after       bigint NOT NULL DEFAULT 0,
    new_request_id            uuid,
    review_task_id            uuid REFERENCES review_tasks(id),
    created_at                timestamptz NOT NULL,
    created_by                uuid REFERENCES users(id),
    CONSTRAINT agreement_variations_once UNIQUE (agreement_id, source_key)
);

-- Finance hears once that an agreement ended, whatever the code does.
CREATE UNIQUE INDEX notifications_one_finance_end_per_agreement ON notifications (agreement_id)
    WHERE audience_kind = 'finance' AND kind = 'agreement.ended';

-- Review tasks may be about a plan, a direct payment or professional support
-- rather than an agreement: subject_type and subject_id say which. Tasks can
-- be cancelled when what they review ends.
ALTER TABLE review_tasks
    ALTER COLUMN agreement_id DROP NOT NULL,
    ADD COLUMN subject_type text NOT NULL DEFAULT 'agreement',
    ADD COLUMN subject_id   uuid,
    ADD COLUMN plan_id      uuid REFERENCES plans(id),
    ADD COLUMN person_name  text NOT NULL DEFAULT '',
    ADD COLUMN reason       text NOT NULL DEFAULT '';
UPDATE review_tasks SET subject_id = agreement_id WHERE subject_id IS NULL;
ALTER TABLE review_tasks ALTER COLUMN subject_id SET NOT NULL;
ALTER TABLE review_tasks DROP CONSTRAINT review_tasks_kind_check, DROP CONSTRAINT review_tasks_status_check;
ALTER TABLE review_tasks
    ADD CONSTRAINT review_tasks_kind CHECK (kind IN ('welfare_check','first_review','annual_review','plan_review','support_review')),
    ADD CONSTRAINT review_tasks_status CHECK (status IN ('open','completed','cancelled')),
    ADD CONSTRAINT review_tasks_subject CHECK (subject_type IN ('agreement','plan','direct_payment','professional_support')),
    ADD CONSTRAINT review_tasks_agreement_subject CHECK (
        (subject_type = 'agreement') = (agreement_id IS NOT NULL) AND (agreement_id IS NULL OR subject_id = agreement_id));
CREATE UNIQUE INDEX review_tasks_once_per_subject ON review_tasks (subject_type, subject_id, kind, due_by) WHERE agreement_id IS NULL;

-- +goose Down
DROP INDEX review_tasks_once_per_subject;
DELETE FROM review_tasks WHERE agreement_id IS NULL;
UPDATE review_tasks SET status = 'completed', completed_at = now() WHERE status = 'cancelled';
ALTER TABLE review_tasks DROP CONSTRAINT review_tasks_kind, DROP CONSTRAINT review_tasks_status,
    DROP CONSTRAINT review_tasks_subject, DROP CONSTRAINT review_tasks_agreement_subject;
ALTER TABLE review_tasks
    ADD CONSTRAINT review_tasks_kind_check CHECK (kind IN ('welfare_check','first_review','annual_review')),
    ADD CONSTRAINT review_tasks_status_check CHECK (status IN ('open','completed'));
ALTER TABLE review_tasks DROP COLUMN subject_type, DROP COLUMN subject_id, DROP COLUMN plan_id,
    DROP COLUMN person_name, DROP COLUMN reason;
ALTER TABLE review_tasks ALTER COLUMN agreement_id SET NOT NULL;
DROP INDEX notifications_one_finance_end_per_agreement;
DROP TABLE agreement_variations;
ALTER TABLE agreements DROP CONSTRAINT agreements_host_area, DROP CONSTRAINT agreements_ends_on, DROP CONSTRAINT agreements_replaced,
    DROP COLUMN out_of_area, DROP COLUMN host_area, DROP COLUMN ends_on, DROP COLUMN end_reason, DROP COLUMN replaced_by;
