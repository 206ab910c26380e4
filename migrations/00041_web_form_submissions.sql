-- +goose Up
-- Forms of the web pages that must not act twice (a double-click on
-- "Chase", a reload after "Suspend") carry a random form id, drawn afresh
-- each time the form is drawn. Its row is inserted in a transaction held
-- open while the form's use case runs: a second sending of the same form
-- waits for the first, and then finds the row (the first succeeded: it is
-- not run again) or not (the first failed and rolled back: it runs).
CREATE TABLE web_form_submissions (
    session_id uuid NOT NULL REFERENCES web_sessions(id) ON DELETE CASCADE,
    form_id    text NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (session_id, form_id),
    CONSTRAINT web_form_submissions_form_id_length CHECK (length(form_id) BETWEEN 16 AND 100)
);

-- +goose Down
DROP TABLE web_form_submissions;
