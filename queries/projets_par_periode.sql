-- The periods of the call compared: projects, grants, jobs and share of associations under the
-- sidebar filters, with each period's rules (ceiling, share of the budget, kinds of aid) and
-- the plan in force. Every period appears, even without a project. Realised jobs: see
-- projets_kpi.sql.
SELECT
    e.code                                                   AS periode,
    e.nom,
    e.annee_debut,
    e.annee_fin,
    e.plafond_eur,
    e.part_budget_max_pct,
    e.types_aide,
    pl.nom_court                                             AS plan,
    count(p.id)                                              AS nb_projets,
    coalesce(sum(p.subvention_eur), 0)                       AS subvention,
    max(p.subvention_eur)                                    AS subvention_max,
    coalesce(sum(p.emplois_prevus_etp), 0)                   AS emplois_prevus,
    CASE WHEN count(p.id) = 0 THEN 0 ELSE sum(p.emplois_realises_etp) END AS emplois_realises,
    count(p.id) - count(p.emplois_realises_etp)              AS nb_realises_inconnus,
    coalesce(sum(p.emplois_prevus_etp) FILTER (WHERE p.emplois_realises_etp IS NOT NULL), 0)
                                                             AS emplois_prevus_connus,
    coalesce(sum(p.subvention_eur) FILTER (WHERE p.emplois_realises_etp IS NOT NULL), 0)
                                                             AS subvention_connue,
    100.0 * count(p.id) FILTER (WHERE p.forme_juridique = 'association')
        / nullif(count(p.id), 0)                             AS part_associations_pct,
    e.source_doc || ', ' || e.source_lieu                    AS source
FROM periode e
LEFT JOIN plan pl ON pl.code = e.plan
LEFT JOIN projets_filtres($annees, $axes, $territoires, $formes, $activites) p
    ON p.periode = e.code
GROUP BY ALL
ORDER BY e.annee_debut;
