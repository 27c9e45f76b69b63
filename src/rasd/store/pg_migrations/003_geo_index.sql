-- 003 (PostgreSQL): the counterpart of SQLite's R*Tree indexes (003_geo_index.sql): a PostGIS
-- geography point on events, figures and incidents, kept in step with lat/lon by the database
-- (a stored generated column), and GiST indexes for map viewports.
--
-- A viewport is a lon/lat rectangle. A geography's && compares geocentric boxes, in which the
-- rectangle's north and south edges become great circles, so a point just inside the rectangle
-- can fall outside them. The viewport index is therefore a GiST over the planar geometry of the
-- same points (geog::geometry, lon/lat in EPSG:4326), which a lon/lat rectangle answers exactly;
-- the GiST over the geography itself serves distance queries (ST_DWithin in metres).

ALTER TABLE events ADD COLUMN geog geography(Point, 4326) GENERATED ALWAYS AS (
    CASE WHEN lat IS NOT NULL AND lon IS NOT NULL THEN ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography END
) STORED;
ALTER TABLE figures ADD COLUMN geog geography(Point, 4326) GENERATED ALWAYS AS (
    CASE WHEN lat IS NOT NULL AND lon IS NOT NULL THEN ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography END
) STORED;
ALTER TABLE incidents ADD COLUMN geog geography(Point, 4326) GENERATED ALWAYS AS (
    CASE WHEN lat IS NOT NULL AND lon IS NOT NULL THEN ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography END
) STORED;

CREATE INDEX events_viewport ON events USING gist ((geog::geometry));
CREATE INDEX figures_viewport ON figures USING gist ((geog::geometry));
CREATE INDEX incidents_viewport ON incidents USING gist ((geog::geometry));
CREATE INDEX events_geog ON events USING gist (geog);
CREATE INDEX incidents_geog ON incidents USING gist (geog);
