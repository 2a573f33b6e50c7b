-- The projects exactly as stored, in the schema's column order: what an import compares,
-- checks and keeps across rebuilds.
SELECT * FROM projet ORDER BY id;
