-- 002 (PostgreSQL): the counterpart of SQLite's 002_incidents.sql.

CREATE TABLE incidents (
    id                  BIGINT PRIMARY KEY,      -- shown as I<id>; numbered by the linker under its lock
    rowid               BIGINT GENERATED ALWAYS AS (id) STORED,
    event_type          TEXT NOT NULL,
    sub_event_type      TEXT NOT NULL,
    date_start          TEXT,
    date_end            TEXT,
    date_precision      TEXT,
    place               TEXT,
    geonameid           BIGINT,
    admin1              TEXT,
    country             TEXT,
    lat                 DOUBLE PRECISION,
    lon                 DOUBLE PRECISION,
    place_precision     TEXT,
    independent_sources INTEGER NOT NULL,
    reports             INTEGER NOT NULL,
    killed_low          BIGINT,
    killed_best         BIGINT,
    killed_high         BIGINT,
    updated_at          TEXT NOT NULL,
    json                TEXT NOT NULL
);
CREATE UNIQUE INDEX incidents_rowid ON incidents(rowid);  -- SQLite's rowid, which serve/ pages by
CREATE INDEX incidents_date ON incidents(date_start, date_end);
CREATE INDEX incidents_place ON incidents(place);
CREATE INDEX incidents_type ON incidents(event_type, sub_event_type);

CREATE TABLE incident_reports (
    id          BIGSERIAL PRIMARY KEY,
    incident    BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    document    BIGINT NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    seq         BIGINT NOT NULL,
    score       DOUBLE PRECISION,
    reason      TEXT NOT NULL,
    signature   BYTEA,
    json        TEXT NOT NULL,
    UNIQUE (document, idx)
);
CREATE INDEX incident_reports_incident ON incident_reports(incident, seq);
CREATE INDEX incident_reports_seq ON incident_reports(seq);

CREATE TABLE incident_blocks (
    key       TEXT NOT NULL,
    incident  BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    PRIMARY KEY (key, incident)
);

CREATE TABLE incident_history (
    id        BIGSERIAL PRIMARY KEY,
    incident  BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    at        TEXT NOT NULL,
    change    TEXT NOT NULL
);
CREATE INDEX incident_history_incident ON incident_history(incident, id);

CREATE TABLE link_state (
    one        INTEGER PRIMARY KEY CHECK (one = 1),
    relinking  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO link_state (one, relinking) VALUES (1, 0);

-- History is append-only: never updated; deleted only by a full relink, which rebuilds it.
CREATE FUNCTION incident_history_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'incident history is append-only';
    END IF;
    IF (SELECT relinking FROM link_state WHERE one = 1) = 0 THEN
        RAISE EXCEPTION 'incident history is append-only (only rasd relink rebuilds it)';
    END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER incident_history_no_update BEFORE UPDATE OR DELETE ON incident_history
    FOR EACH ROW EXECUTE FUNCTION incident_history_guard();
