-- +goose Up
-- Compliance: frameworks and dynamic purchasing systems with their lots,
-- providers' memberships of lots, council suspensions and embargoes, and the
-- evidence providers upload (document metadata with expiry). Dates are days;
-- an end date is the last day in force, NULL meaning open-ended.
CREATE TABLE frameworks (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name       text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 300),
    kind       text NOT NULL CHECK (kind IN ('framework','dps','contract')),
    starts_on  date NOT NULL,
    ends_on    date,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by uuid,
    CONSTRAINT frameworks_dates CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE UNIQUE INDEX frameworks_name_key ON frameworks (lower(name));

CREATE TABLE framework_lots (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    framework_id  uuid NOT NULL REFERENCES frameworks(id),
    name          text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 300),
    service_types text[] NOT NULL CHECK (cardinality(service_types) > 0),
    UNIQUE (framework_id, name)
);

CREATE TABLE framework_memberships (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    lot_id          uuid NOT NULL REFERENCES framework_lots(id),
    organisation_id uuid NOT NULL REFERENCES provider_organisations(id),
    starts_on       date NOT NULL,
    ends_on         date,
    end_reason      text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    created_by      uuid,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    updated_by      uuid,
    CONSTRAINT framework_memberships_dates CHECK (ends_on IS NULL OR ends_on >= starts_on),
    UNIQUE (lot_id, organisation_id, starts_on)
);
CREATE INDEX framework_memberships_organisation_idx ON framework_memberships (organisation_id);

-- A suspension or embargo covers the whole organisation, or one service when
-- service_id is set.
CREATE TABLE provider_suspensions (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES provider_organisations(id),
    service_id      uuid REFERENCES provider_services(id),
    kind            text NOT NULL CHECK (kind IN ('suspension','embargo')),
    reason          text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 2000),
    starts_on       date NOT NULL,
    ends_on         date,
    created_at      timestamptz NOT NULL DEFAULT now(),
    created_by      uuid,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    updated_by      uuid,
    CONSTRAINT provider_suspensions_dates CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX provider_suspensions_organisation_idx ON provider_suspensions (organisation_id);

-- Evidence is metadata only (the document itself is kept elsewhere). Only
-- accepted insurance evidence counts towards compliance.
CREATE TABLE provider_documents (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES provider_organisations(id),
    kind            text NOT NULL CHECK (kind IN ('insurance','cqc_certificate','safeguarding_policy','business_continuity_plan','other')),
    name            text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 300),
    valid_from      date NOT NULL,
    expires_on      date,
    status          text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted','accepted','rejected')),
    review_note     text NOT NULL DEFAULT '',
    reviewed_at     timestamptz,
    reviewed_by     uuid,
    uploaded_at     timestamptz NOT NULL DEFAULT now(),
    uploaded_by     uuid,
    CONSTRAINT provider_documents_dates CHECK (expires_on IS NULL OR expires_on >= valid_from),
    CONSTRAINT provider_documents_insurance_expires CHECK (kind <> 'insurance' OR expires_on IS NOT NULL)
);
CREATE INDEX provider_documents_organisation_idx ON provider_documents (organisation_id);

-- The postcode lookup: ONS Postcode Directory columns pcds, lat, long.
CREATE TABLE postcode_lookup (
    postcode    text PRIMARY KEY CHECK (postcode ~ '^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$'),
    latitude    double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude   double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    imported_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE postcode_lookup;
DROP TABLE provider_documents;
DROP TABLE provider_suspensions;
DROP TABLE framework_memberships;
DROP TABLE framework_lots;
DROP TABLE frameworks;
