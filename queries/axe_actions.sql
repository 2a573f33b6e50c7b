-- The actions, schemes and grants attached to one axis of the PMDESS 2015-2020 (`$axe`), from
-- the 2011-2014 plan (by correspondence, see data/README.md) to the 2021 grant, in time order.
SELECT
    a.id,
    a.nom,
    coalesce(p.nom_court, 'Hors plan')                       AS plan,
    a.type,
    a.operateur,
    a.annee_debut,
    a.annee_fin,
    a.budget_eur,
    a.resultats,
    a.source_doc || ', ' || a.source_lieu                    AS source
FROM action a
LEFT JOIN plan p ON p.code = a.plan
WHERE a.axe = $axe
  AND (len($axes) = 0 OR list_contains($axes, a.axe))
ORDER BY coalesce(a.annee_debut, p.debut, 9999), p.debut, a.id;
