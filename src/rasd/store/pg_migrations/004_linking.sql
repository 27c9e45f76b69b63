-- 004 (PostgreSQL): the counterpart of SQLite's 004_linking.sql: document frequencies of words
-- for the similarity of undated reports, incidents merged into another (kept, with merged_into),
-- and merges and splits made by hand in incident_edits, append-only, replayed by `rasd relink`.

CREATE TABLE link_terms (
    term  BIGINT PRIMARY KEY,                  -- crc32 of the casefolded word (up to 2^32: BIGINT)
    df    INTEGER NOT NULL                     -- documents holding it
);
ALTER TABLE link_state ADD COLUMN documents INTEGER NOT NULL DEFAULT 0;

ALTER TABLE incidents ADD COLUMN merged_into BIGINT;  -- null while the incident stands
CREATE INDEX incidents_merged ON incidents(merged_into);

CREATE TABLE incident_edits (
    id         BIGSERIAL PRIMARY KEY,
    at         TEXT NOT NULL,
    action     TEXT NOT NULL CHECK (action IN ('merge', 'split')),
    after_seq  BIGINT NOT NULL,
    json       TEXT NOT NULL
);
CREATE FUNCTION incident_edits_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'incident edits are append-only';
END $$;
CREATE TRIGGER incident_edits_append_only BEFORE UPDATE OR DELETE ON incident_edits
    FOR EACH ROW EXECUTE FUNCTION incident_edits_guard();
