-- 001: documents (every version, raw bytes kept), their extracted figures and events,
-- full-text search over document text.

CREATE TABLE documents (
    rowid        INTEGER PRIMARY KEY,
    id           TEXT NOT NULL,              -- caller's id (JSONL) or the sha256 of the raw bytes
    key          TEXT NOT NULL,              -- what versions share: the caller's id, else the path
    sha256       TEXT NOT NULL UNIQUE,       -- of the raw bytes: identical bytes are stored once
    path         TEXT,                       -- where it was read from (file path, or "FILE:LINE" for JSONL)
    version      INTEGER NOT NULL DEFAULT 1, -- 1, 2, ... for changed bytes at the same path
    format       TEXT NOT NULL,              -- text|markdown|html|jsonl
    title        TEXT,
    published    TEXT,                       -- ISO date
    publisher    TEXT,
    url          TEXT,
    text         TEXT NOT NULL,              -- what extraction read; spans index it
    raw          BLOB NOT NULL,
    ingested_at  TEXT NOT NULL,
    extraction   TEXT                        -- the Extraction record as JSON
);
CREATE INDEX documents_id ON documents(id);
CREATE INDEX documents_path ON documents(path, version);
CREATE INDEX documents_key ON documents(key, version);
CREATE INDEX documents_published ON documents(published);
CREATE INDEX documents_publisher ON documents(publisher);

CREATE TABLE figures (
    id               INTEGER PRIMARY KEY,
    document         INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    idx              INTEGER NOT NULL,       -- index in the extraction's figures list
    kind             TEXT NOT NULL,
    who              TEXT,
    low              INTEGER,
    best             INTEGER,
    high             INTEGER,
    qualifier        TEXT,
    aggregate        INTEGER NOT NULL DEFAULT 0,
    period_start     TEXT,
    period_end       TEXT,
    period_precision TEXT,
    place            TEXT,
    geonameid        INTEGER,
    admin1           TEXT,
    country          TEXT,
    lat              REAL,
    lon              REAL,
    attributed_to    TEXT,
    via              TEXT,
    json             TEXT NOT NULL,          -- the Figure record
    UNIQUE(document, idx)
);
CREATE INDEX figures_kind ON figures(kind);
CREATE INDEX figures_period ON figures(period_start, period_end);
CREATE INDEX figures_place ON figures(place);
CREATE INDEX figures_document ON figures(document);

CREATE TABLE events (
    id               INTEGER PRIMARY KEY,
    document         INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    idx              INTEGER NOT NULL,       -- index in the extraction's events list
    main             INTEGER NOT NULL DEFAULT 0,
    event_type       TEXT NOT NULL,
    sub_event_type   TEXT NOT NULL,
    date_start       TEXT,
    date_end         TEXT,
    date_precision   TEXT,
    place            TEXT,
    geonameid        INTEGER,
    admin1           TEXT,
    country          TEXT,
    lat              REAL,
    lon              REAL,
    place_precision  TEXT,
    actor1           TEXT,
    actor2           TEXT,
    attributed_to    TEXT,
    via              TEXT,
    json             TEXT NOT NULL,          -- the Event record
    UNIQUE(document, idx)
);
CREATE INDEX events_type ON events(event_type, sub_event_type);
CREATE INDEX events_date ON events(date_start, date_end);
CREATE INDEX events_place ON events(place);
CREATE INDEX events_document ON events(document);

-- The newest version of every document (older versions stay in documents, superseded).
CREATE VIEW current_documents AS
    SELECT * FROM documents d
    WHERE NOT EXISTS (SELECT 1 FROM documents n WHERE n.key = d.key AND n.version > d.version);

CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', content_rowid='rowid');
CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER documents_au AFTER UPDATE OF title, text ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
