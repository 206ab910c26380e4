-- +goose Up
-- Email (issue 20): how a person wants to hear from us, and the email outbox
-- the notification worker fills and empties.

-- How the person (or their representative) said they want to hear about
-- their care. Only 'email' sends them email, to contact_email.
ALTER TABLE persons
    ADD COLUMN contact_by    text NOT NULL DEFAULT 'not_said'
        CHECK (contact_by IN ('not_said', 'email', 'phone', 'letter')),
    ADD COLUMN contact_email text NOT NULL DEFAULT '',
    ADD CONSTRAINT persons_contact_email CHECK (
        (contact_by = 'email') = (contact_email <> '')
        AND (contact_email = '' OR (contact_email = lower(contact_email) AND position('@' in contact_email) > 1)));

-- One email to one address about one notification, rendered when the worker
-- delivered the notification (so every attempt sends the same bytes and the
-- same Message-ID). The worker claims due rows under a lease, as it does
-- notifications; the unique keys make a second copy impossible to write.
CREATE TABLE emails (
    id              uuid PRIMARY KEY,
    notification_id uuid NOT NULL REFERENCES notifications(id),
    address         text NOT NULL CHECK (position('@' in address) > 1),
    message_id      text NOT NULL,
    kind            text NOT NULL,
    subject         text NOT NULL,
    text_body       text NOT NULL,
    html_body       text NOT NULL,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    lease_token     uuid,
    lease_until     timestamptz,
    last_attempt_at timestamptz,
    last_error      text NOT NULL DEFAULT '',
    sent_at         timestamptz,
    dead_at         timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT emails_once UNIQUE (notification_id, address),
    CONSTRAINT emails_message_id UNIQUE (message_id),
    CONSTRAINT emails_lease CHECK ((lease_token IS NULL) = (lease_until IS NULL)),
    CONSTRAINT emails_sent CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
    CONSTRAINT emails_dead CHECK ((status = 'dead') = (dead_at IS NOT NULL))
);
CREATE INDEX emails_due_idx ON emails (next_attempt_at) WHERE status = 'pending';

-- +goose Down
DROP TABLE emails;
ALTER TABLE persons DROP CONSTRAINT persons_contact_email, DROP COLUMN contact_email, DROP COLUMN contact_by;
