-- +goose Up
-- Defence in depth for the append-only audit trail. 00002's trigger refuses
-- UPDATE, DELETE and TRUNCATE on audit_events for everyone, but the owner of
-- a table may disable its triggers. carebroker_app is the role the service
-- should act as in production (a login role that is a member of it, or
-- SET ROLE): it may read and write every table, and only read and append
-- to audit_events; not being the owner, it cannot disable the trigger.
-- Tables created by later migrations get the same grants by default.
-- Where the migrating user may not create roles, this does nothing and
-- says so; the trigger still holds.
-- +goose StatementBegin
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'carebroker_app') THEN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolcreaterole)) THEN
            RAISE NOTICE 'role carebroker_app not created: % may not create roles', current_user;
            RETURN;
        END IF;
        BEGIN
            CREATE ROLE carebroker_app NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- created meanwhile by a migration of another database
        END;
    END IF;
    GRANT USAGE ON SCHEMA public TO carebroker_app;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO carebroker_app;
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO carebroker_app;
    REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM carebroker_app;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO carebroker_app;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO carebroker_app;
END;
$$;
-- +goose StatementEnd

-- +goose Down
-- The role is shared by every database on the server, so it is not dropped.
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'carebroker_app') THEN
        ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM carebroker_app;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM carebroker_app;
        REVOKE ALL ON ALL TABLES IN SCHEMA public FROM carebroker_app;
        REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM carebroker_app;
        REVOKE USAGE ON SCHEMA public FROM carebroker_app;
    END IF;
END;
$$;
-- +goose StatementEnd
