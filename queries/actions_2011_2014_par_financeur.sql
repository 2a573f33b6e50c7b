-- The actions of the 2011-2014 plan with their budget per funder (MEL, Ville de Lille): the
-- first table of 002 and the 12 actions delegated to the Ville de Lille (Annexe 2), grouped by
-- the Annexe 2 axis. The four territorial projects (Annexe 1) spend the call's envelope and are
-- a question of their own. The sidebar axis filter applies (`action.axe` is an axis of the
-- PMDESS 2015-2020, by correspondence for earlier actions) through `action.axe`.
WITH montants AS (
    SELECT
        action,
        sum(montant_eur) FILTER (WHERE financeur = 'MEL')            AS mel,
        sum(montant_eur) FILTER (WHERE financeur = 'Ville de Lille') AS ville_lille
    FROM financement
    GROUP BY action
)
SELECT
    a.id,
    a.nom,
    coalesce(a.axe_plan, 'Premier tableau : actions de la MEL')      AS groupe,
    r.action IS NOT NULL                                             AS annexe2,
    a.axe,
    a.operateur,
    a.annee_debut,
    a.annee_fin,
    coalesce(m.mel, 0)                                               AS mel,
    coalesce(m.ville_lille, 0)                                       AS ville_lille,
    a.budget_eur,
    a.source_doc || ', ' || a.source_lieu                            AS source
FROM action a
LEFT JOIN montants m ON m.action = a.id
LEFT JOIN realisation_2013 r ON r.action = a.id
WHERE a.plan = 'pmdess-2011-2014'
  AND a.type <> 'projet territorial'
  AND (a.axe IS NULL OR len($axes) = 0 OR list_contains($axes, 'pmdess-2015-2020/' || a.axe))
ORDER BY annexe2, a.axe, a.id;
