-- +goose Up
-- Handbacks keep the provider's name as the agreement named it, so the count
-- per provider reads without reaching into the directory's tables.
ALTER TABLE package_handbacks ADD COLUMN provider_name text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE package_handbacks DROP COLUMN provider_name;
