-- 007 (PostgreSQL): the viewport index covers what a map viewport over the incidents reads.
--
-- A viewport page is the 200 lowest ids of the standing incidents in a lon/lat box
-- (serve/incidents.py, serve/queries.py). With 003's index, PostgreSQL found the points in the
-- box in the index and then read each matching row from the table to test lon/lat, merged_into
-- and the id: in arrival order the thousands of rows of one box lie on as many table pages, and
-- p99 was 114 ms at 100,000 incidents unless the table was CLUSTERed by hand. This index carries
-- those columns (INCLUDE), so the page's ids come from an index-only scan: a few dozen index
-- pages whatever order the rows arrived in (table pages only for rows changed since the last
-- VACUUM, which autovacuum keeps few). The page's rows are then read by id.
DROP INDEX incidents_viewport;
CREATE INDEX incidents_viewport ON incidents USING gist ((geog::geometry))
    INCLUDE (rowid, lon, lat, merged_into, geog);
