-- +goose Up
-- The audit trail: every change, and every read of a person's plan or
-- agreement. Append-only: the trigger refuses UPDATE, DELETE and TRUNCATE
-- for every role the application connects as.
CREATE TABLE audit_events (
    id            bigserial PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT now(),
    actor_user_id uuid,
    actor_role    text NOT NULL,
    on_behalf_of  text,
    action        text NOT NULL,
    object_type   text NOT NULL,
    object_id     text NOT NULL,
    person_id     uuid,
    summary       jsonb NOT NULL DEFAULT '{}'::jsonb,
    request_id    text
);
CREATE INDEX audit_events_person_idx ON audit_events (person_id, at) WHERE person_id IS NOT NULL;
CREATE INDEX audit_events_object_idx ON audit_events (object_type, object_id, at);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_user_id, at);

-- +goose StatementBegin
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- +goose Down
DROP TABLE audit_events;
DROP FUNCTION audit_events_append_only();
