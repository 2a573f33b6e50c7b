-- Projects per legal form (associations vs cooperative or social enterprises).
WITH filtres AS (
    SELECT * FROM projets_filtres($annees, $axes, $territoires, $formes, $activites)
)
SELECT
    f.code                                                   AS forme_juridique,
    f.libelle,
    count(p.id)                                              AS nb_projets,
    100.0 * count(p.id) / nullif((SELECT count(*) FROM filtres), 0) AS part_pct,
    coalesce(sum(p.subvention_eur), 0)                       AS subvention,
    coalesce(sum(p.emplois_prevus_etp), 0)                   AS emplois_prevus,
    coalesce(sum(p.emplois_realises_etp), 0)                 AS emplois_realises
FROM forme_juridique f
LEFT JOIN filtres p ON p.forme_juridique = f.code
GROUP BY f.code, f.libelle, f.ordre
ORDER BY f.ordre;
