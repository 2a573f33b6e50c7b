-- Projects, grants and jobs per year of support; every year from the first to the last in the
-- store appears, even at zero. Realised jobs: `emplois_connus` (schema.sql).
WITH bornes AS (SELECT min(annee) AS debut, max(annee) AS fin FROM projet),
annees AS (SELECT unnest(range(debut, fin + 1)) AS annee FROM bornes)
SELECT
    a.annee,
    count(p.id)                                AS nb_projets,
    coalesce(sum(p.subvention_eur), 0)         AS subvention,
    coalesce(sum(p.emplois_prevus_etp), 0)     AS emplois_prevus,
    unnest(emplois_connus(p.id, p.emplois_prevus_etp, p.emplois_realises_etp, p.subvention_eur)),
    count(p.id) FILTER (WHERE p.provenance = 'reconstitué') AS nb_reconstitues
FROM annees a
LEFT JOIN projets_filtres($annees, $axes, $territoires, $formes, $activites, $communes,
                     $subvention_min, $subvention_max) p
    ON p.annee = a.annee
GROUP BY a.annee
ORDER BY a.annee;
