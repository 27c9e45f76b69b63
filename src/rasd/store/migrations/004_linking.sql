-- 004: linking without dates, merges and edits by hand.
-- Document frequencies of words (hashes) over the linked documents, for the TF-IDF
-- similarity of undated reports; an incident merged into another keeps its row
-- (and its history) with merged_into set; merges and splits made by hand are kept
-- in incident_edits, append-only, and `rasd relink` replays them.

CREATE TABLE link_terms (
    term  INTEGER PRIMARY KEY,                 -- crc32 of the casefolded word
    df    INTEGER NOT NULL                     -- documents holding it
);
ALTER TABLE link_state ADD COLUMN documents INTEGER NOT NULL DEFAULT 0;  -- documents counted in link_terms

ALTER TABLE incidents ADD COLUMN merged_into INTEGER;  -- null while the incident stands
CREATE INDEX incidents_merged ON incidents(merged_into);

CREATE TABLE incident_edits (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    action     TEXT NOT NULL CHECK (action IN ('merge', 'split')),
    after_seq  INTEGER NOT NULL,               -- the last linked report when it was made: relink replays it there
    json       TEXT NOT NULL                   -- the reports it names, as [document rowid, event index] pairs
);
CREATE TRIGGER incident_edits_no_update BEFORE UPDATE ON incident_edits BEGIN
    SELECT RAISE(ABORT, 'incident edits are append-only');
END;
CREATE TRIGGER incident_edits_no_delete BEFORE DELETE ON incident_edits BEGIN
    SELECT RAISE(ABORT, 'incident edits are append-only');
END;
