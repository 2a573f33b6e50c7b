-- What each axis of the PMDESS 2015-2020 produced: the projects of the call « Entreprendre
-- autrement » under the sidebar filters, and the actions and schemes attached to the axis.
WITH filtres AS (
    SELECT * FROM projets_filtres($annees, $axes, $territoires, $formes, $activites, $communes,
                     $subvention_min, $subvention_max)
),
actions AS (
    SELECT axe, count(*) AS nb_actions, count(budget_eur) AS nb_actions_chiffrees
    FROM action
    WHERE axe IS NOT NULL
    GROUP BY axe
)
SELECT
    x.numero                                                 AS axe,
    x.nom,
    count(p.id)                                              AS nb_projets,
    coalesce(sum(p.subvention_eur), 0)                       AS subvention,
    coalesce(sum(p.emplois_prevus_etp), 0)                   AS emplois_prevus,
    unnest(emplois_connus(p.id, p.emplois_prevus_etp, p.emplois_realises_etp, p.subvention_eur)),
    count(p.id) FILTER (WHERE p.provenance = 'reconstitué')  AS nb_reconstitues,
    coalesce(any_value(a.nb_actions), 0)                     AS nb_actions,
    coalesce(any_value(a.nb_actions_chiffrees), 0)           AS nb_actions_chiffrees
FROM axe x
LEFT JOIN filtres p ON p.plan = x.plan AND p.axe = x.numero
LEFT JOIN actions a ON a.axe = x.numero
WHERE x.plan = 'pmdess-2015-2020'
  AND (len($axes) = 0 OR list_contains($axes, x.plan || '/' || x.numero))
GROUP BY x.numero, x.nom
ORDER BY x.numero;
