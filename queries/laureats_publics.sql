-- The projects a public source names, with only what that source says of them: their name and
-- the source's words. Their other fields are reconstructed and are never shown beside the name.
SELECT libelle AS nom, source
FROM projet
WHERE provenance = 'reconstitué' AND source IS NOT NULL
ORDER BY libelle;
