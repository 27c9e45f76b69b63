-- 002: incidents (reports of one event linked together), their reports with the link's
-- score and reason, the blocking index, and each incident's append-only history.

CREATE TABLE incidents (
    id                  INTEGER PRIMARY KEY,   -- shown as I<id>
    event_type          TEXT NOT NULL,
    sub_event_type      TEXT NOT NULL,
    date_start          TEXT,
    date_end            TEXT,
    date_precision      TEXT,
    place               TEXT,
    geonameid           INTEGER,
    admin1              TEXT,
    country             TEXT,
    lat                 REAL,
    lon                 REAL,
    place_precision     TEXT,
    independent_sources INTEGER NOT NULL,
    reports             INTEGER NOT NULL,
    killed_low          INTEGER,
    killed_best         INTEGER,
    killed_high         INTEGER,
    updated_at          TEXT NOT NULL,
    json                TEXT NOT NULL          -- the Incident record (history is in incident_history)
);
CREATE INDEX incidents_date ON incidents(date_start, date_end);
CREATE INDEX incidents_place ON incidents(place);
CREATE INDEX incidents_type ON incidents(event_type, sub_event_type);

CREATE TABLE incident_reports (
    id          INTEGER PRIMARY KEY,
    incident    INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    document    INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,              -- the event's index in the document's extraction
    seq         INTEGER NOT NULL,              -- link order: relink replays it
    score       REAL,                          -- null for the report that created the incident
    reason      TEXT NOT NULL,
    signature   BLOB,                          -- MinHash of the document text (source independence)
    json        TEXT NOT NULL,                 -- what linking keeps of the report (event, figure values)
    UNIQUE(document, idx)
);
CREATE INDEX incident_reports_incident ON incident_reports(incident, seq);

CREATE TABLE incident_blocks (
    key       TEXT NOT NULL,                   -- place cell or admin1, @ ISO week
    incident  INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    PRIMARY KEY (key, incident)
) WITHOUT ROWID;

CREATE TABLE incident_history (
    id        INTEGER PRIMARY KEY,
    incident  INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    at        TEXT NOT NULL,
    change    TEXT NOT NULL
);
CREATE INDEX incident_history_incident ON incident_history(incident, id);

-- One row: 1 while `rasd relink` clears the tables to rebuild them, else 0.
CREATE TABLE link_state (
    one        INTEGER PRIMARY KEY CHECK (one = 1),
    relinking  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO link_state (one, relinking) VALUES (1, 0);

-- History is append-only: never updated; deleted only by a full relink, which rebuilds it.
CREATE TRIGGER incident_history_no_update BEFORE UPDATE ON incident_history BEGIN
    SELECT RAISE(ABORT, 'incident history is append-only');
END;
CREATE TRIGGER incident_history_no_delete BEFORE DELETE ON incident_history
WHEN (SELECT relinking FROM link_state WHERE one = 1) = 0 BEGIN
    SELECT RAISE(ABORT, 'incident history is append-only (only rasd relink rebuilds it)');
END;
