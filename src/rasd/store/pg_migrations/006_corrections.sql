-- 006 (PostgreSQL): the counterpart of SQLite's 006_corrections.sql: corrections made by a
-- person (accept, reject, edit a figure or event; merge, split, detach an incident's reports),
-- append-only rows with who, when and why; and the language of a document rasd cannot read.

CREATE TABLE corrections (
    id        BIGSERIAL PRIMARY KEY,
    target    TEXT NOT NULL CHECK (target IN ('figure', 'event', 'incident')),
    document  TEXT,
    doc_key   TEXT,
    idx       INTEGER,
    evidence  TEXT,
    incident  BIGINT,
    reports   TEXT,
    action    TEXT NOT NULL CHECK (action IN ('accept', 'reject', 'edit', 'merge', 'split', 'detach')),
    changes   TEXT NOT NULL DEFAULT '{}',
    who       TEXT NOT NULL,
    at        TEXT NOT NULL,
    why       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX corrections_document ON corrections(document);
CREATE INDEX corrections_doc_key ON corrections(doc_key);

CREATE FUNCTION corrections_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'corrections are append-only: record a new correction instead';
END $$;
CREATE TRIGGER corrections_append_only BEFORE UPDATE OR DELETE ON corrections
    FOR EACH ROW EXECUTE FUNCTION corrections_guard();

ALTER TABLE documents ADD COLUMN language TEXT;
