-- Projects per axis of each plan in force during a period of the call: a project counts under
-- the axis of the plan of its year (axis assigned by activity in the reconstructed data, see
-- data/README.md). Plans in time order, axes in their order.
WITH filtres AS (
    SELECT * FROM projets_filtres($annees, $axes, $territoires, $formes, $activites, $communes,
                     $subvention_min, $subvention_max)
)
SELECT
    x.plan || '/' || x.numero                                AS axe_plan,
    pl.nom_court                                             AS plan,
    x.numero                                                 AS axe,
    x.nom,
    count(p.id)                                              AS nb_projets,
    coalesce(sum(p.subvention_eur), 0)                       AS subvention,
    coalesce(sum(p.emplois_prevus_etp), 0)                   AS emplois_prevus,
    unnest(emplois_connus(p.id, p.emplois_prevus_etp, p.emplois_realises_etp, p.subvention_eur)),
    count(p.id) FILTER (WHERE p.provenance = 'reconstitué')  AS nb_reconstitues
FROM axe x
JOIN plan pl ON pl.code = x.plan
LEFT JOIN filtres p ON p.plan = x.plan AND p.axe = x.numero
WHERE x.plan IN (SELECT plan FROM periode)
GROUP BY x.plan, pl.nom_court, pl.debut, x.numero, x.nom
ORDER BY pl.debut, x.numero;
