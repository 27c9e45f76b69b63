-- 003: R*Tree indexes over the coordinates of events, figures and incidents, so that a map
-- viewport (a bounding box) is answered without scanning the tables. Points are
-- stored as degenerate boxes (min = max); the triggers keep the indexes in step.

CREATE VIRTUAL TABLE events_geo USING rtree(id, min_lon, max_lon, min_lat, max_lat);
INSERT INTO events_geo (id, min_lon, max_lon, min_lat, max_lat)
    SELECT id, lon, lon, lat, lat FROM events WHERE lat IS NOT NULL AND lon IS NOT NULL;
CREATE TRIGGER events_geo_ai AFTER INSERT ON events WHEN new.lat IS NOT NULL AND new.lon IS NOT NULL BEGIN
    INSERT INTO events_geo (id, min_lon, max_lon, min_lat, max_lat) VALUES (new.id, new.lon, new.lon, new.lat, new.lat);
END;
CREATE TRIGGER events_geo_ad AFTER DELETE ON events BEGIN
    DELETE FROM events_geo WHERE id = old.id;
END;
CREATE TRIGGER events_geo_au AFTER UPDATE OF lat, lon ON events BEGIN
    DELETE FROM events_geo WHERE id = old.id;
    INSERT INTO events_geo (id, min_lon, max_lon, min_lat, max_lat)
        SELECT new.id, new.lon, new.lon, new.lat, new.lat WHERE new.lat IS NOT NULL AND new.lon IS NOT NULL;
END;

CREATE VIRTUAL TABLE figures_geo USING rtree(id, min_lon, max_lon, min_lat, max_lat);
INSERT INTO figures_geo (id, min_lon, max_lon, min_lat, max_lat)
    SELECT id, lon, lon, lat, lat FROM figures WHERE lat IS NOT NULL AND lon IS NOT NULL;
CREATE TRIGGER figures_geo_ai AFTER INSERT ON figures WHEN new.lat IS NOT NULL AND new.lon IS NOT NULL BEGIN
    INSERT INTO figures_geo (id, min_lon, max_lon, min_lat, max_lat) VALUES (new.id, new.lon, new.lon, new.lat, new.lat);
END;
CREATE TRIGGER figures_geo_ad AFTER DELETE ON figures BEGIN
    DELETE FROM figures_geo WHERE id = old.id;
END;
CREATE TRIGGER figures_geo_au AFTER UPDATE OF lat, lon ON figures BEGIN
    DELETE FROM figures_geo WHERE id = old.id;
    INSERT INTO figures_geo (id, min_lon, max_lon, min_lat, max_lat)
        SELECT new.id, new.lon, new.lon, new.lat, new.lat WHERE new.lat IS NOT NULL AND new.lon IS NOT NULL;
END;

CREATE VIRTUAL TABLE incidents_geo USING rtree(id, min_lon, max_lon, min_lat, max_lat);
INSERT INTO incidents_geo (id, min_lon, max_lon, min_lat, max_lat)
    SELECT id, lon, lon, lat, lat FROM incidents WHERE lat IS NOT NULL AND lon IS NOT NULL;
CREATE TRIGGER incidents_geo_ai AFTER INSERT ON incidents WHEN new.lat IS NOT NULL AND new.lon IS NOT NULL BEGIN
    INSERT INTO incidents_geo (id, min_lon, max_lon, min_lat, max_lat) VALUES (new.id, new.lon, new.lon, new.lat, new.lat);
END;
CREATE TRIGGER incidents_geo_ad AFTER DELETE ON incidents BEGIN
    DELETE FROM incidents_geo WHERE id = old.id;
END;
CREATE TRIGGER incidents_geo_au AFTER UPDATE OF lat, lon ON incidents BEGIN
    DELETE FROM incidents_geo WHERE id = old.id;
    INSERT INTO incidents_geo (id, min_lon, max_lon, min_lat, max_lat)
        SELECT new.id, new.lon, new.lon, new.lat, new.lat WHERE new.lat IS NOT NULL AND new.lon IS NOT NULL;
END;
