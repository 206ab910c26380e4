-- +goose Up
-- Idempotency keys for mutating endpoints. The first request with a key
-- claims it (status 0 while it runs); its response is kept so a replay gets
-- the same answer without a second change. The same key with a different
-- body is refused.
CREATE TABLE idempotency_keys (
    user_id       uuid NOT NULL,
    key           text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    method        text NOT NULL,
    path          text NOT NULL,
    request_hash  bytea NOT NULL,
    status        integer NOT NULL DEFAULT 0,
    content_type  text NOT NULL DEFAULT '',
    response_body bytea,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
