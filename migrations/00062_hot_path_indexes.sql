-- +goose Up
-- Indexes the load test's EXPLAIN test (loadtest/explain_test.go) asked for.
--
-- A provider's invitations read the offers of each invitation, whatever
-- their status; the only index on invitation_id was partial (live offers).
CREATE INDEX offers_invitation_idx ON offers (invitation_id, created_at);
-- The queue lists the requests still being worked, nearest deadline first,
-- then oldest: in that order, only over requests not yet agreed or
-- cancelled, so the history a council builds up is never read for it. With
-- status and urgency included, the queue's counts by status, urgency and
-- deadline are read from the index alone.
CREATE INDEX requests_queue_order_idx ON requests (response_deadline ASC NULLS LAST, created_at, id)
    INCLUDE (status, urgency) WHERE status NOT IN ('agreed','cancelled');

-- +goose Down
DROP INDEX requests_queue_order_idx;
DROP INDEX offers_invitation_idx;
