-- The activities exactly as stored, in the schema's column order: a rebuild keeps those an
-- import added (absent from data/sources/activite.csv).
SELECT * FROM activite ORDER BY ordre, code;
