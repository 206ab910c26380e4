-- +goose Up
-- The provider directory: organisations, their locations (a CQC location, or
-- a place named by name and postcode where the source has no CQC id) and the
-- services each location offers (one row per service type). The providers
-- package owns these tables.

CREATE TABLE provider_organisations (
    id                         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                       text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 300),
    -- named_from_location: the source named no provider, so the organisation
    -- carries its location's name until a file names the real provider.
    named_from_location        boolean NOT NULL DEFAULT false,
    cqc_provider_id            text CHECK (cqc_provider_id ~ '^1-[0-9]{6,12}$'),
    companies_house_number     text CHECK (companies_house_number ~ '^([0-9]{8}|[A-Z]{2}[0-9]{6})$'),
    contact_name               text NOT NULL DEFAULT '',
    contact_email              text NOT NULL DEFAULT '',
    contact_phone              text NOT NULL DEFAULT '',
    website                    text NOT NULL DEFAULT '',
    contract_status            text NOT NULL DEFAULT 'none'
        CHECK (contract_status IN ('none','pending','active','suspended','terminated','expired')),
    contract_status_reason     text NOT NULL DEFAULT '',
    contract_status_changed_at timestamptz,
    contract_status_changed_by uuid,
    created_at                 timestamptz NOT NULL DEFAULT now(),
    updated_at                 timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX provider_organisations_cqc_key ON provider_organisations (cqc_provider_id) WHERE cqc_provider_id IS NOT NULL;
CREATE UNIQUE INDEX provider_organisations_ch_key ON provider_organisations (companies_house_number) WHERE companies_house_number IS NOT NULL;
-- A provider named by a file is found again by its name.
CREATE UNIQUE INDEX provider_organisations_name_key ON provider_organisations (lower(name)) WHERE NOT named_from_location;

ALTER TABLE users ADD CONSTRAINT users_provider_org_fk FOREIGN KEY (provider_org_id) REFERENCES provider_organisations(id);

CREATE TABLE provider_locations (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id     uuid NOT NULL REFERENCES provider_organisations(id),
    name                text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 300),
    cqc_location_id     text CHECK (cqc_location_id ~ '^1-[0-9]{6,12}$'),
    address             text NOT NULL DEFAULT '',
    postcode            text NOT NULL CHECK (postcode ~ '^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$'),
    latitude            double precision NOT NULL CHECK (latitude BETWEEN 49 AND 61),
    longitude           double precision NOT NULL CHECK (longitude BETWEEN -9 AND 2),
    coordinates_source  text NOT NULL CHECK (coordinates_source IN ('postcode_lookup','given')),
    telephone           text NOT NULL DEFAULT '',
    website             text NOT NULL DEFAULT '',
    email               text NOT NULL DEFAULT '',
    local_authority     text NOT NULL DEFAULT '',
    registration_status text NOT NULL DEFAULT 'registered'
        CHECK (registration_status IN ('registered','deregistered','not_registered')),
    rating              text NOT NULL DEFAULT 'not_yet_rated'
        CHECK (rating IN ('not_yet_rated','outstanding','good','requires_improvement','inadequate')),
    rating_date         date,
    last_inspected_on   date,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT provider_locations_rating_dated CHECK ((rating = 'not_yet_rated') = (rating_date IS NULL)),
    UNIQUE (id, organisation_id)
);
CREATE UNIQUE INDEX provider_locations_cqc_key ON provider_locations (cqc_location_id) WHERE cqc_location_id IS NOT NULL;
-- Where the source has no CQC location id, name and postcode identify a location.
CREATE UNIQUE INDEX provider_locations_name_postcode_key ON provider_locations (lower(name), postcode) WHERE cqc_location_id IS NULL;
CREATE INDEX provider_locations_organisation_idx ON provider_locations (organisation_id);
CREATE INDEX provider_locations_postcode_idx ON provider_locations (postcode);

CREATE TABLE provider_services (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    location_id        uuid NOT NULL,
    organisation_id    uuid NOT NULL,
    service_type       text NOT NULL CHECK (service_type IN (
        'homecare','specialist_homecare','residential_care','nursing_care','specialist_residential_nursing',
        'supported_living','respite','specialist_respite','day_services','specialist_day_services',
        'shared_lives','reablement')),
    status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active','inactive')),
    status_reason      text NOT NULL DEFAULT '',
    description        text NOT NULL DEFAULT '',
    coverage_radius_km double precision CHECK (coverage_radius_km > 0 AND coverage_radius_km <= 500),
    coverage_districts text[] NOT NULL DEFAULT '{}',
    specialisms        text[] NOT NULL DEFAULT '{}',
    languages          text[] NOT NULL DEFAULT '{}',
    carer_genders      text[] NOT NULL DEFAULT '{}',
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT provider_services_one_coverage CHECK (coverage_radius_km IS NULL OR cardinality(coverage_districts) = 0),
    -- The organisation follows the location (ON UPDATE CASCADE), so a
    -- service can never belong to another organisation than its location.
    FOREIGN KEY (location_id, organisation_id) REFERENCES provider_locations (id, organisation_id) ON UPDATE CASCADE,
    FOREIGN KEY (organisation_id) REFERENCES provider_organisations (id),
    UNIQUE (location_id, service_type)
);
CREATE INDEX provider_services_type_idx ON provider_services (service_type) WHERE status = 'active';
CREATE INDEX provider_services_organisation_idx ON provider_services (organisation_id);

-- +goose Down
DROP TABLE provider_services;
DROP TABLE provider_locations;
ALTER TABLE users DROP CONSTRAINT users_provider_org_fk;
DROP TABLE provider_organisations;
