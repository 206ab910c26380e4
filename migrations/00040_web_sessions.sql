-- +goose Up
-- Sessions of the web pages. The browser holds a random token in an
-- HttpOnly cookie; only its SHA-256 is kept here, so a copy of this table
-- signs nobody in. A session ends at sign-out (ended_at), after a spell of
-- inactivity (last_seen_at), at its absolute limit (expires_at), or when the
-- user's password changes or the account is disabled (checked on each use).
-- Each session carries the synchronizer token its forms must send back, and
-- at most one success message for the next page (the notification banner).
CREATE TABLE web_sessions (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    token_hash   bytea NOT NULL UNIQUE,
    user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token   text NOT NULL,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    ended_at     timestamptz,
    flash        text,
    CONSTRAINT web_sessions_token_hash_length CHECK (length(token_hash) = 32),
    CONSTRAINT web_sessions_csrf_length CHECK (length(csrf_token) >= 32),
    CONSTRAINT web_sessions_times CHECK (last_seen_at >= created_at AND expires_at > created_at)
);
CREATE INDEX web_sessions_user_idx ON web_sessions (user_id);
CREATE INDEX web_sessions_expires_idx ON web_sessions (expires_at);

-- +goose Down
DROP TABLE web_sessions;
