-- Projects, grants and jobs per commune of MEL; every commune appears, at 0 without a project.
WITH filtres AS (
    SELECT * FROM projets_filtres($annees, $axes, $territoires, $formes, $activites)
)
SELECT
    c.insee,
    c.nom,
    c.territoire,
    c.population,
    count(p.id)                                AS nb_projets,
    coalesce(sum(p.subvention_eur), 0)         AS subvention,
    coalesce(sum(p.emplois_prevus_etp), 0)     AS emplois_prevus,
    CASE WHEN count(p.id) = 0 THEN 0 ELSE sum(p.emplois_realises_etp) END AS emplois_realises,
    count(p.id) - count(p.emplois_realises_etp)              AS nb_realises_inconnus,
    coalesce(sum(p.emplois_prevus_etp) FILTER (WHERE p.emplois_realises_etp IS NOT NULL), 0)
                                                             AS emplois_prevus_connus,
    coalesce(sum(p.subvention_eur) FILTER (WHERE p.emplois_realises_etp IS NOT NULL), 0)
                                                             AS subvention_connue
FROM commune c
LEFT JOIN filtres p ON p.commune = c.insee
GROUP BY c.insee, c.nom, c.territoire, c.population
ORDER BY c.insee;
