-- +goose Up
-- Accounts: everyone who signs in. A provider user is bound to one provider
-- organisation and a client to one person; the foreign keys to those tables
-- are added by the migrations that create them.
CREATE TABLE users (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email               text NOT NULL,
    display_name        text NOT NULL,
    password_hash       text NOT NULL,
    role                text NOT NULL CHECK (role IN ('practitioner','broker','budget_approver','provider','client','finance','admin')),
    team                text,
    provider_org_id     uuid,
    person_id           uuid,
    password_changed_at timestamptz NOT NULL DEFAULT now(),
    disabled_at         timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_shape CHECK (email = lower(email) AND position('@' in email) > 1),
    CONSTRAINT users_provider_bound CHECK ((role = 'provider') = (provider_org_id IS NOT NULL)),
    CONSTRAINT users_client_bound CHECK ((role = 'client') = (person_id IS NOT NULL)),
    CONSTRAINT users_practitioner_team CHECK (role <> 'practitioner' OR team IS NOT NULL)
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_provider_org_idx ON users (provider_org_id) WHERE provider_org_id IS NOT NULL;
CREATE INDEX users_person_idx ON users (person_id) WHERE person_id IS NOT NULL;

-- Refresh tokens rotate: each use marks the token used and issues the next
-- one in the same family. A used token presented again means it was stolen,
-- and the whole family is revoked. Only a hash of the token is kept.
CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    family_id   uuid NOT NULL,
    token_hash  bytea NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

-- +goose Down
DROP TABLE refresh_tokens;
DROP TABLE users;
