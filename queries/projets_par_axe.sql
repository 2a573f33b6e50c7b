-- Projects per axis of the PMDESS 2015-2020 (axis assigned by activity, see data/README.md).
WITH filtres AS (
    SELECT * FROM projets_filtres($annees, $axes, $territoires, $formes, $activites, $communes,
                     $subvention_min, $subvention_max)
)
SELECT
    x.numero                                                 AS axe,
    x.nom,
    count(p.id)                                              AS nb_projets,
    coalesce(sum(p.subvention_eur), 0)                       AS subvention,
    coalesce(sum(p.emplois_prevus_etp), 0)                   AS emplois_prevus,
    coalesce(sum(p.emplois_realises_etp), 0)                 AS emplois_realises,
    count(p.id) FILTER (WHERE p.provenance = 'reconstitué')  AS nb_reconstitues
FROM axe x
LEFT JOIN filtres p ON p.axe = x.numero
WHERE x.plan = 'pmdess-2015-2020'
GROUP BY x.numero, x.nom
ORDER BY x.numero;
