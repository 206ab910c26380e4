-- +goose Up
-- A provider's notice that it will stop a package (a handback), counted per
-- provider. The package ends on last_day through an end change (change_id);
-- a package is handed back once.
CREATE TABLE package_handbacks (
    id               uuid PRIMARY KEY,
    agreement_id     uuid NOT NULL UNIQUE REFERENCES packages(agreement_id),
    provider_org_id  uuid NOT NULL,
    reason           text NOT NULL CHECK (reason IN ('staffing','travel','risk','needs_changed','price')),
    detail           text NOT NULL DEFAULT '',
    last_day         date NOT NULL,
    hours_per_week   integer NOT NULL DEFAULT 0,
    places           integer NOT NULL DEFAULT 0,
    change_id        uuid NOT NULL REFERENCES package_changes(id),
    given_by         uuid REFERENCES users(id),
    given_at         timestamptz NOT NULL
);
CREATE INDEX package_handbacks_provider_idx ON package_handbacks (provider_org_id);

-- +goose Down
DROP TABLE package_handbacks;
