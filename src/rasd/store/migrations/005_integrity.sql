-- 005: documents whose extraction failed, and figure/event columns that cannot disagree with their JSON.
--
-- A document whose extraction failed is stored with its raw bytes, status 'error' and the reason,
-- so that it is never re-tried blindly (identical bytes are skipped) and `rasd verify` can list it.
ALTER TABLE documents ADD COLUMN status TEXT NOT NULL DEFAULT 'ok';  -- ok | error
ALTER TABLE documents ADD COLUMN error TEXT;                          -- why extraction failed

-- The JSON record is the one source of truth; the flat columns are copies for querying.
-- A row whose columns say something else than its JSON is refused, on insert and on update.
CREATE TRIGGER figures_json_insert BEFORE INSERT ON figures
WHEN new.kind IS NOT json_extract(new.json, '$.kind')
  OR new.who IS NOT json_extract(new.json, '$.who')
  OR new.low IS NOT json_extract(new.json, '$.low')
  OR new.best IS NOT json_extract(new.json, '$.best')
  OR new.high IS NOT json_extract(new.json, '$.high')
  OR new.qualifier IS NOT json_extract(new.json, '$.qualifier')
  OR new.aggregate IS NOT coalesce(json_extract(new.json, '$.aggregate'), 0)
  OR new.period_start IS NOT json_extract(new.json, '$.period.start')
  OR new.period_end IS NOT json_extract(new.json, '$.period.end')
  OR new.place IS NOT json_extract(new.json, '$.place.name')
  OR new.geonameid IS NOT json_extract(new.json, '$.place.geonameid')
  OR new.attributed_to IS NOT json_extract(new.json, '$.attributed_to')
  OR new.via IS NOT json_extract(new.json, '$.via')
BEGIN
    SELECT RAISE(ABORT, 'figure columns disagree with the figure''s JSON');
END;
CREATE TRIGGER figures_json_update BEFORE UPDATE ON figures
WHEN new.kind IS NOT json_extract(new.json, '$.kind')
  OR new.who IS NOT json_extract(new.json, '$.who')
  OR new.low IS NOT json_extract(new.json, '$.low')
  OR new.best IS NOT json_extract(new.json, '$.best')
  OR new.high IS NOT json_extract(new.json, '$.high')
  OR new.qualifier IS NOT json_extract(new.json, '$.qualifier')
  OR new.aggregate IS NOT coalesce(json_extract(new.json, '$.aggregate'), 0)
  OR new.period_start IS NOT json_extract(new.json, '$.period.start')
  OR new.period_end IS NOT json_extract(new.json, '$.period.end')
  OR new.place IS NOT json_extract(new.json, '$.place.name')
  OR new.geonameid IS NOT json_extract(new.json, '$.place.geonameid')
  OR new.attributed_to IS NOT json_extract(new.json, '$.attributed_to')
  OR new.via IS NOT json_extract(new.json, '$.via')
BEGIN
    SELECT RAISE(ABORT, 'figure columns disagree with the figure''s JSON');
END;
CREATE TRIGGER events_json_insert BEFORE INSERT ON events
WHEN new.event_type IS NOT json_extract(new.json, '$.event_type')
  OR new.sub_event_type IS NOT json_extract(new.json, '$.sub_event_type')
  OR new.main IS NOT coalesce(json_extract(new.json, '$.main'), 0)
  OR new.date_start IS NOT json_extract(new.json, '$.date.start')
  OR new.date_end IS NOT json_extract(new.json, '$.date.end')
  OR new.place IS NOT json_extract(new.json, '$.place.name')
  OR new.geonameid IS NOT json_extract(new.json, '$.place.geonameid')
BEGIN
    SELECT RAISE(ABORT, 'event columns disagree with the event''s JSON');
END;
CREATE TRIGGER events_json_update BEFORE UPDATE ON events
WHEN new.event_type IS NOT json_extract(new.json, '$.event_type')
  OR new.sub_event_type IS NOT json_extract(new.json, '$.sub_event_type')
  OR new.main IS NOT coalesce(json_extract(new.json, '$.main'), 0)
  OR new.date_start IS NOT json_extract(new.json, '$.date.start')
  OR new.date_end IS NOT json_extract(new.json, '$.date.end')
  OR new.place IS NOT json_extract(new.json, '$.place.name')
  OR new.geonameid IS NOT json_extract(new.json, '$.place.geonameid')
BEGIN
    SELECT RAISE(ABORT, 'event columns disagree with the event''s JSON');
END;
