-- 001 (PostgreSQL): the counterpart of SQLite's 001_core.sql: documents (every version, raw
-- bytes kept), their figures and events, full-text search (a tsvector column with a GIN
-- index), and the few SQLite names the shared SQL uses (json_extract, json_each, sqlite_master,
-- pragma_table_info), so that link/ and serve/ run here unchanged.

CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE documents (
    rowid        BIGSERIAL PRIMARY KEY,
    id           TEXT NOT NULL,
    key          TEXT NOT NULL,              -- what versions share: the caller's id, else the path
    sha256       TEXT NOT NULL UNIQUE,       -- concurrent writers of the same bytes: one row, never two
    path         TEXT,
    version      INTEGER NOT NULL DEFAULT 1,
    format       TEXT NOT NULL,
    title        TEXT,
    published    TEXT,
    publisher    TEXT,
    url          TEXT,
    text         TEXT NOT NULL,
    raw          BYTEA NOT NULL,
    ingested_at  TEXT NOT NULL,
    extraction   TEXT,
    search       TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A') || to_tsvector('english', text)
    ) STORED,
    UNIQUE (key, version)                    -- two writers of one document's new bytes cannot both be version n
);
CREATE INDEX documents_id ON documents(id);
CREATE INDEX documents_path ON documents(path, version);
CREATE INDEX documents_published ON documents(published);
CREATE INDEX documents_publisher ON documents(publisher);
CREATE INDEX documents_search ON documents USING gin (search);

CREATE TABLE figures (
    id               BIGSERIAL PRIMARY KEY,
    document         BIGINT NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    idx              INTEGER NOT NULL,
    kind             TEXT NOT NULL,
    who              TEXT,
    low              BIGINT,
    best             BIGINT,
    high             BIGINT,
    qualifier        TEXT,
    aggregate        INTEGER NOT NULL DEFAULT 0,
    period_start     TEXT,
    period_end       TEXT,
    period_precision TEXT,
    place            TEXT,
    geonameid        BIGINT,
    admin1           TEXT,
    country          TEXT,
    lat              DOUBLE PRECISION,
    lon              DOUBLE PRECISION,
    attributed_to    TEXT,
    via              TEXT,
    json             TEXT NOT NULL,
    UNIQUE (document, idx)
);
CREATE INDEX figures_kind ON figures(kind);
CREATE INDEX figures_period ON figures(period_start, period_end);
CREATE INDEX figures_place ON figures(place);

CREATE TABLE events (
    id               BIGSERIAL PRIMARY KEY,
    document         BIGINT NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    idx              INTEGER NOT NULL,
    main             INTEGER NOT NULL DEFAULT 0,
    event_type       TEXT NOT NULL,
    sub_event_type   TEXT NOT NULL,
    date_start       TEXT,
    date_end         TEXT,
    date_precision   TEXT,
    place            TEXT,
    geonameid        BIGINT,
    admin1           TEXT,
    country          TEXT,
    lat              DOUBLE PRECISION,
    lon              DOUBLE PRECISION,
    place_precision  TEXT,
    actor1           TEXT,
    actor2           TEXT,
    attributed_to    TEXT,
    via              TEXT,
    json             TEXT NOT NULL,
    UNIQUE (document, idx)
);
CREATE INDEX events_type ON events(event_type, sub_event_type);
CREATE INDEX events_date ON events(date_start, date_end);
CREATE INDEX events_place ON events(place);

CREATE VIEW current_documents AS
    SELECT * FROM documents d
    WHERE NOT EXISTS (SELECT 1 FROM documents n WHERE n.key = d.key AND n.version > d.version);

-- SQLite's json_extract(json, '$.a.b') and json_each(json, '$.a') over JSON kept as text, so that
-- SQL written for the SQLite store (link/, serve/) runs here unchanged. Values come back as text.
CREATE FUNCTION json_extract(doc TEXT, path TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN doc::jsonb #>> string_to_array(nullif(substr(path, 3), ''), '.');
CREATE FUNCTION json_each(doc TEXT, path TEXT) RETURNS TABLE (key TEXT, value TEXT)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    WITH v AS (SELECT doc::jsonb #> coalesce(string_to_array(nullif(substr(path, 3), ''), '.'), '{}') AS j)
    SELECT (e.n - 1)::text, e.value::text FROM v, jsonb_array_elements(v.j) WITH ORDINALITY AS e(value, n)
        WHERE jsonb_typeof(v.j) = 'array'
    UNION ALL
    SELECT o.key, o.value::text FROM v, jsonb_each(v.j) AS o WHERE jsonb_typeof(v.j) = 'object'
$$;

-- What SQLite's catalogue answers for the read side's "is this table there, with which columns"
-- (serve/ asks sqlite_master and pragma_table_info), from this schema's catalogue.
CREATE VIEW sqlite_master AS
    SELECT c.relname::text AS name, CASE c.relkind WHEN 'v' THEN 'view' ELSE 'table' END AS type
    FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'v', 'p');
CREATE FUNCTION pragma_table_info(tab TEXT) RETURNS TABLE (cid INTEGER, name TEXT, type TEXT)
    LANGUAGE sql STABLE AS $$
    SELECT (a.attnum - 1)::integer, a.attname::text, format_type(a.atttypid, a.atttypmod)
    FROM pg_attribute a WHERE a.attrelid = to_regclass(tab) AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY a.attnum
$$;
