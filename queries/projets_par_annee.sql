-- Projects, grants and jobs per year of support; every year of the call appears, even at zero.
WITH annees AS (SELECT unnest(range(2015, 2019)) AS annee)
SELECT
    a.annee,
    count(p.id)                                AS nb_projets,
    coalesce(sum(p.subvention_eur), 0)         AS subvention,
    coalesce(sum(p.emplois_prevus_etp), 0)     AS emplois_prevus,
    coalesce(sum(p.emplois_realises_etp), 0)   AS emplois_realises,
    count(p.id) FILTER (WHERE p.provenance = 'reconstitué') AS nb_reconstitues
FROM annees a
LEFT JOIN projets_filtres($annees, $axes, $territoires, $formes, $activites, $communes,
                     $subvention_min, $subvention_max) p
    ON p.annee = a.annee
GROUP BY a.annee
ORDER BY a.annee;
