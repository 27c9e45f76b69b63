-- 005 (PostgreSQL): the counterpart of SQLite's 005_integrity.sql: documents whose extraction
-- failed (status 'error' and the reason), and figure/event columns that cannot disagree with
-- their JSON, the one source of truth (checked on insert and on update).
ALTER TABLE documents ADD COLUMN status TEXT NOT NULL DEFAULT 'ok';
ALTER TABLE documents ADD COLUMN error TEXT;

CREATE FUNCTION figures_json_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    j jsonb := NEW.json::jsonb;
BEGIN
    IF NEW.kind IS DISTINCT FROM j->>'kind'
       OR NEW.who IS DISTINCT FROM j->>'who'
       OR NEW.low IS DISTINCT FROM (j->>'low')::numeric
       OR NEW.best IS DISTINCT FROM (j->>'best')::numeric
       OR NEW.high IS DISTINCT FROM (j->>'high')::numeric
       OR NEW.qualifier IS DISTINCT FROM j->>'qualifier'
       OR NEW.aggregate IS DISTINCT FROM coalesce((j->>'aggregate')::boolean::int, 0)
       OR NEW.period_start IS DISTINCT FROM j #>> '{period,start}'
       OR NEW.period_end IS DISTINCT FROM j #>> '{period,end}'
       OR NEW.place IS DISTINCT FROM j #>> '{place,name}'
       OR NEW.geonameid IS DISTINCT FROM (j #>> '{place,geonameid}')::numeric
       OR NEW.attributed_to IS DISTINCT FROM j->>'attributed_to'
       OR NEW.via IS DISTINCT FROM j->>'via' THEN
        RAISE EXCEPTION 'figure columns disagree with the figure''s JSON';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER figures_json BEFORE INSERT OR UPDATE ON figures
    FOR EACH ROW EXECUTE FUNCTION figures_json_guard();

CREATE FUNCTION events_json_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    j jsonb := NEW.json::jsonb;
BEGIN
    IF NEW.event_type IS DISTINCT FROM j->>'event_type'
       OR NEW.sub_event_type IS DISTINCT FROM j->>'sub_event_type'
       OR NEW.main IS DISTINCT FROM coalesce((j->>'main')::boolean::int, 0)
       OR NEW.date_start IS DISTINCT FROM j #>> '{date,start}'
       OR NEW.date_end IS DISTINCT FROM j #>> '{date,end}'
       OR NEW.place IS DISTINCT FROM j #>> '{place,name}'
       OR NEW.geonameid IS DISTINCT FROM (j #>> '{place,geonameid}')::numeric THEN
        RAISE EXCEPTION 'event columns disagree with the event''s JSON';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER events_json BEFORE INSERT OR UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION events_json_guard();
