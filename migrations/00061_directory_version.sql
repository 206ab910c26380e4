-- +goose Up
-- The directory's version: a number that grows whenever anything matching
-- reads from the directory changes (services, locations, organisations,
-- capacity, rates, frameworks and memberships, suspensions, insurance
-- evidence). Brokerage keeps the matching engine's index of each service
-- type in memory and rebuilds it only when this number has moved, instead
-- of reading thousands of services on every match (the load test's profile).
--
-- The number moves in the same transaction as the change, at commit (a
-- deferred trigger, once per transaction), so a reader that reads the
-- version before the directory never keeps data older than the version it
-- holds, and the row is locked only for the moment before each commit.
CREATE TABLE directory_version (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    version   bigint NOT NULL
);
INSERT INTO directory_version (singleton, version) VALUES (true, 1);

-- +goose StatementBegin
CREATE FUNCTION directory_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('carebroker.directory_bumped', true) IS DISTINCT FROM txid_current()::text THEN
        UPDATE directory_version SET version = version + 1;
        PERFORM set_config('carebroker.directory_bumped', txid_current()::text, true);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['provider_organisations','provider_locations','provider_services','provider_capacity',
        'provider_rates','frameworks','framework_lots','framework_memberships','provider_suspensions','provider_documents']
    LOOP
        EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION directory_version_bump()', t || '_directory_version', t);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION directory_version_bump()',
            t || '_directory_version_truncate', t);
    END LOOP;
END;
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['provider_organisations','provider_locations','provider_services','provider_capacity',
        'provider_rates','frameworks','framework_lots','framework_memberships','provider_suspensions','provider_documents']
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_directory_version', t);
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_directory_version_truncate', t);
    END LOOP;
END;
$$;
-- +goose StatementEnd
DROP FUNCTION directory_version_bump();
DROP TABLE directory_version;
