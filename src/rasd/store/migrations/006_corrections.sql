-- 006: corrections made by a person (`rasd review`, POST /api/review/...): accept, reject or edit
-- a figure or an event, merge, split or detach an incident's reports. Rows of their own,
-- append-only, with who, when and why; the extraction underneath is never overwritten:
-- linking reads each document's extraction with its corrections applied.

CREATE TABLE corrections (
    id        INTEGER PRIMARY KEY,
    target    TEXT NOT NULL CHECK (target IN ('figure', 'event', 'incident')),
    document  TEXT,               -- figure/event: sha256 of the document version it was read from
    doc_key   TEXT,               -- its version key: the correction follows a new version whose evidence matches
    idx       INTEGER,            -- figure/event: its index in that version's extraction
    evidence  TEXT,               -- figure/event: its evidence words when corrected
    incident  INTEGER,            -- incident: its number when corrected (for reading; replay uses reports)
    reports   TEXT,               -- incident: JSON [[sha256, event index], ...] the links concern
    action    TEXT NOT NULL CHECK (action IN ('accept', 'reject', 'edit', 'merge', 'split', 'detach')),
    changes   TEXT NOT NULL DEFAULT '{}',   -- edit: JSON field -> new value
    who       TEXT NOT NULL,
    at        TEXT NOT NULL,
    why       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX corrections_document ON corrections(document);
CREATE INDEX corrections_doc_key ON corrections(doc_key);

CREATE TRIGGER corrections_no_update BEFORE UPDATE ON corrections BEGIN
    SELECT RAISE(ABORT, 'corrections are append-only: record a new correction instead');
END;
CREATE TRIGGER corrections_no_delete BEFORE DELETE ON corrections BEGIN
    SELECT RAISE(ABORT, 'corrections are append-only: record a new correction instead');
END;

-- The language a document is written in when rasd cannot read it (ISO 639-1, "ar"); null for
-- documents it reads. Filled at ingest from the extraction's document.language.
ALTER TABLE documents ADD COLUMN language TEXT;
