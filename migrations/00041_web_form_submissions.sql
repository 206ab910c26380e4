-- +goose Up
-- Forms of the web pages that must not act twice (a double-click on
-- "Remind providers", a POST sent again) carry a random form id, drawn
-- afresh each time the form is drawn. The first sending of a drawing
-- inserts its row and acts; the row is marked done when the action
-- succeeded, or deleted when it failed so the form may be sent again. A
-- second sending finds the row and waits until it is done (then shows the
-- result) or gone (then acts itself).
CREATE TABLE web_form_submissions (
    session_id uuid NOT NULL REFERENCES web_sessions(id) ON DELETE CASCADE,
    form_id    text NOT NULL,
    created_at timestamptz NOT NULL,
    done       boolean NOT NULL DEFAULT false,
    PRIMARY KEY (session_id, form_id),
    CONSTRAINT web_form_submissions_form_id_length CHECK (length(form_id) BETWEEN 16 AND 100)
);

-- +goose Down
DROP TABLE web_form_submissions;
