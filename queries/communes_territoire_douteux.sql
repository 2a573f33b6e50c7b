-- The communes whose territory the sources do not settle: the MEL's GIS code and its open-data
-- export disagree, or the GIS code is the only source (communes that joined in 2020). The
-- `source` column of commune.csv records this (see geo/README.md).
SELECT
    c.insee,
    c.nom,
    t.nom                                                    AS territoire,
    CASE WHEN c.source LIKE '%CONFLICT%' THEN 'désaccord' ELSE 'source unique' END AS doute,
    c.source
FROM commune c
JOIN territoire t ON t.code = c.territoire
WHERE c.source LIKE '%CONFLICT%' OR c.source LIKE '%only source%'
ORDER BY doute, c.nom;
