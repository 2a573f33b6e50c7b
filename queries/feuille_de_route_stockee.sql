-- The roadmap exactly as stored, in the schema's column order: what its import compares,
-- checks and keeps across rebuilds.
SELECT * FROM feuille_de_route ORDER BY plan, action;
