-- Projects, grants and jobs per year of support; every year from the first to the last in the
-- store appears, even at zero. Realised jobs: see projets_kpi.sql.
WITH bornes AS (SELECT min(annee) AS debut, max(annee) AS fin FROM projet),
annees AS (SELECT unnest(range(debut, fin + 1)) AS annee FROM bornes)
SELECT
    a.annee,
    count(p.id)                                AS nb_projets,
    coalesce(sum(p.subvention_eur), 0)         AS subvention,
    coalesce(sum(p.emplois_prevus_etp), 0)     AS emplois_prevus,
    CASE WHEN count(p.id) = 0 THEN 0 ELSE sum(p.emplois_realises_etp) END AS emplois_realises,
    count(p.id) - count(p.emplois_realises_etp) AS nb_realises_inconnus,
    coalesce(sum(p.emplois_prevus_etp) FILTER (WHERE p.emplois_realises_etp IS NOT NULL), 0)
                                               AS emplois_prevus_connus,
    coalesce(sum(p.subvention_eur) FILTER (WHERE p.emplois_realises_etp IS NOT NULL), 0)
                                               AS subvention_connue
FROM annees a
LEFT JOIN projets_filtres($annees, $axes, $territoires, $formes, $activites) p
    ON p.annee = a.annee
GROUP BY a.annee
ORDER BY a.annee;
