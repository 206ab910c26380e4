-- +goose Up
-- Capacity is a calendar per service: each row says how many units (hours a
-- week, or places) the service has from its date until the next row's date,
-- and how many of them are already reserved by agreed care. Reservations are
-- open-ended, so reserved_units never falls from one row to the next.
CREATE TABLE provider_capacity (
    service_id     uuid NOT NULL REFERENCES provider_services(id),
    from_date      date NOT NULL,
    units          integer NOT NULL CHECK (units BETWEEN 0 AND 100000),
    reserved_units integer NOT NULL DEFAULT 0,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    updated_by     uuid,
    -- The database refuses over-commitment even if the code were wrong.
    CONSTRAINT provider_capacity_reserved_within CHECK (reserved_units BETWEEN 0 AND units),
    PRIMARY KEY (service_id, from_date)
);

-- Rates are in pence: an hour for hour-based services, a place a week for
-- place-based ones. Rates of one service never overlap (checked under the
-- service's row lock); valid_to is the last day, NULL meaning open-ended.
CREATE TABLE provider_rates (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    service_id uuid NOT NULL REFERENCES provider_services(id),
    pence      bigint NOT NULL CHECK (pence BETWEEN 1 AND 10000000),
    valid_from date NOT NULL,
    valid_to   date,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by uuid,
    CONSTRAINT provider_rates_dates CHECK (valid_to IS NULL OR valid_to >= valid_from),
    UNIQUE (service_id, valid_from)
);

-- +goose Down
DROP TABLE provider_rates;
DROP TABLE provider_capacity;
