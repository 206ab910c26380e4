-- When the chosen provider cannot start (its last place went to another
-- request, say), the choice is undone: the offer is marked cannot_start
-- with the reason, and the choice row is kept, marked reopened, so the
-- person can choose again. One choice stands per request at a time.

-- +goose Up
ALTER TABLE offers DROP CONSTRAINT offers_status_check;
ALTER TABLE offers ADD CONSTRAINT offers_status_check
    CHECK (status IN ('open','withdrawn','chosen','not_chosen','cannot_start'));
ALTER TABLE offers ADD COLUMN cannot_start_at timestamptz;
ALTER TABLE offers ADD COLUMN cannot_start_reason text NOT NULL DEFAULT '';
ALTER TABLE offers ADD CONSTRAINT offers_cannot_start
    CHECK ((status = 'cannot_start') = (cannot_start_at IS NOT NULL AND cannot_start_reason <> ''));

ALTER TABLE choices ADD COLUMN reopened_at timestamptz;
ALTER TABLE choices ADD COLUMN reopened_by uuid;
ALTER TABLE choices ADD COLUMN reopen_reason text NOT NULL DEFAULT '';
ALTER TABLE choices ADD CONSTRAINT choices_reopened
    CHECK ((reopened_at IS NULL) = (reopen_reason = ''));
ALTER TABLE choices DROP CONSTRAINT choices_request_id_key;
CREATE UNIQUE INDEX choices_request_id_key ON choices (request_id) WHERE reopened_at IS NULL;
CREATE INDEX choices_request_idx ON choices (request_id, at);

-- +goose Down
DROP INDEX choices_request_idx;
DROP INDEX choices_request_id_key;
DELETE FROM choices WHERE reopened_at IS NOT NULL;
ALTER TABLE choices ADD CONSTRAINT choices_request_id_key UNIQUE (request_id);
ALTER TABLE choices DROP CONSTRAINT choices_reopened;
ALTER TABLE choices DROP COLUMN reopen_reason;
ALTER TABLE choices DROP COLUMN reopened_by;
ALTER TABLE choices DROP COLUMN reopened_at;
ALTER TABLE offers DROP CONSTRAINT offers_cannot_start;
UPDATE offers SET status = 'withdrawn', withdrawn_at = cannot_start_at, withdraw_reason = cannot_start_reason
 WHERE status = 'cannot_start';
ALTER TABLE offers DROP COLUMN cannot_start_reason;
ALTER TABLE offers DROP COLUMN cannot_start_at;
ALTER TABLE offers DROP CONSTRAINT offers_status_check;
ALTER TABLE offers ADD CONSTRAINT offers_status_check
    CHECK (status IN ('open','withdrawn','chosen','not_chosen'));
