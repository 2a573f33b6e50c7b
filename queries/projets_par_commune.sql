-- Projects, grants and jobs per commune of MEL; every commune appears, at 0 without a project.
WITH filtres AS (
    SELECT * FROM projets_filtres($annees, $axes, $territoires, $formes, $activites, $communes,
                     $subvention_min, $subvention_max)
)
SELECT
    c.insee,
    c.nom,
    c.territoire,
    c.population,
    count(p.id)                                AS nb_projets,
    coalesce(sum(p.subvention_eur), 0)         AS subvention,
    coalesce(sum(p.emplois_prevus_etp), 0)     AS emplois_prevus,
    unnest(emplois_connus(p.id, p.emplois_prevus_etp, p.emplois_realises_etp, p.subvention_eur)),
    count(p.id) FILTER (WHERE p.provenance = 'reconstitué') AS nb_reconstitues
FROM commune c
LEFT JOIN filtres p ON p.commune = c.insee
GROUP BY c.insee, c.nom, c.territoire, c.population
ORDER BY c.insee;
