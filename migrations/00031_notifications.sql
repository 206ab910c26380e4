-- +goose Up
-- The notification outbox and in-app inbox. A notification is written in the
-- transaction of the change that causes it; after commit a worker claims it
-- (SELECT ... FOR UPDATE SKIP LOCKED, with a lease that expires so a killed
-- worker's claim is picked up again), puts it in the inbox (inbox_at),
-- publishes it live, and for finance posts it to the webhook when one is
-- configured. Failures are retried with exponential backoff; after the last
-- attempt the row is a dead letter that an admin can list and retry.
CREATE TABLE notifications (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    idempotency_key  text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    audience_kind    text NOT NULL CHECK (audience_kind IN ('finance','provider_org','person','role','team','user')),
    audience_id      text NOT NULL DEFAULT '',
    kind             text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.]{0,99}$'),
    subject          text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
    body             text NOT NULL DEFAULT '',
    object_type      text NOT NULL DEFAULT '',
    object_id        text NOT NULL DEFAULT '',
    link             text NOT NULL DEFAULT '',
    agreement_id     uuid REFERENCES agreements(id),
    data             jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at       timestamptz NOT NULL DEFAULT now(),

    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','delivered','dead')),
    attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    lease_token      uuid,
    lease_until      timestamptz,
    last_attempt_at  timestamptz,
    last_error       text NOT NULL DEFAULT '',
    inbox_at         timestamptz,
    webhook_at       timestamptz,
    delivered_at     timestamptz,
    dead_at          timestamptz,

    acknowledged_at  timestamptz,
    acknowledged_by  uuid REFERENCES users(id),

    CONSTRAINT notifications_key UNIQUE (idempotency_key),
    CONSTRAINT notifications_audience_id CHECK ((audience_kind = 'finance') = (audience_id = '')),
    CONSTRAINT notifications_lease CHECK ((lease_token IS NULL) = (lease_until IS NULL)),
    CONSTRAINT notifications_delivered CHECK ((status = 'delivered') = (delivered_at IS NOT NULL)),
    CONSTRAINT notifications_dead CHECK ((status = 'dead') = (dead_at IS NOT NULL)),
    CONSTRAINT notifications_ack_finance CHECK (acknowledged_at IS NULL OR (audience_kind = 'finance' AND inbox_at IS NOT NULL)),
    CONSTRAINT notifications_ack_by CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL))
);
-- The finance team hears of each agreement once, whatever the code does.
CREATE UNIQUE INDEX notifications_one_finance_per_agreement ON notifications (agreement_id)
    WHERE audience_kind = 'finance' AND kind = 'agreement.created';
CREATE INDEX notifications_due_idx ON notifications (next_attempt_at) WHERE status = 'pending';
CREATE INDEX notifications_dead_idx ON notifications (dead_at) WHERE status = 'dead';
CREATE INDEX notifications_inbox_idx ON notifications (audience_kind, audience_id, created_at DESC) WHERE inbox_at IS NOT NULL;

-- Who has read which notification: an audience can be many people (a
-- provider organisation, the finance team), and each reads for themselves.
CREATE TABLE notification_reads (
    notification_id uuid NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
    user_id         uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    read_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (notification_id, user_id)
);

-- +goose Down
DROP TABLE notification_reads;
DROP TABLE notifications;
