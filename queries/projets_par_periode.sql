-- The periods of the call compared: projects, grants, jobs and share of associations under the
-- sidebar filters, with each period's rules (ceiling, share of the budget, kinds of aid) and
-- the plan in force. Every period appears, even without a project. Realised jobs:
-- `emplois_connus` (schema.sql).
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
    unnest(emplois_connus(p.id, p.emplois_prevus_etp, p.emplois_realises_etp, p.subvention_eur)),
    100.0 * count(p.id) FILTER (WHERE p.forme_juridique = 'association')
        / nullif(count(p.id), 0)                             AS part_associations_pct,
    e.source_doc || ', ' || e.source_lieu                    AS source
FROM periode e
LEFT JOIN plan pl ON pl.code = e.plan
LEFT JOIN projets_filtres($annees, $axes, $territoires, $formes, $activites, $communes,
                         $subvention_min, $subvention_max) p
    ON p.periode = e.code
GROUP BY e.code, e.nom, e.annee_debut, e.annee_fin, e.plafond_eur, e.part_budget_max_pct,
         e.types_aide, pl.nom_court, e.source_doc, e.source_lieu
ORDER BY e.annee_debut;
