-- Projects, grants and jobs per metropolitan territory; territories without a project show 0.
WITH population AS (
    SELECT territoire, sum(population) AS population FROM commune GROUP BY territoire
),
filtres AS (
    SELECT * FROM projets_filtres($annees, $axes, $territoires, $formes, $activites, $communes,
                     $subvention_min, $subvention_max)
)
SELECT
    t.code                                                   AS territoire,
    t.nom,
    count(p.id)                                              AS nb_projets,
    100.0 * count(p.id) / nullif((SELECT count(*) FROM filtres), 0) AS part_pct,
    coalesce(sum(p.subvention_eur), 0)                       AS subvention,
    coalesce(sum(p.emplois_prevus_etp), 0)                   AS emplois_prevus,
    unnest(emplois_connus(p.id, p.emplois_prevus_etp, p.emplois_realises_etp, p.subvention_eur)),
    count(p.id) FILTER (WHERE p.provenance = 'reconstitué')  AS nb_reconstitues,
    pop.population
FROM territoire t
LEFT JOIN filtres p ON p.territoire = t.code
LEFT JOIN population pop ON pop.territoire = t.code
GROUP BY t.code, t.nom, t.ordre, pop.population
ORDER BY t.ordre;
