-- The actions, schemes and grants attached to each axis of the PMDESS 2015-2020, from the
-- 2011-2014 plan (by correspondence, see data/README.md) to the 2021 grant, in time order per
-- axis. The sidebar axis filter applies (`action.axe` is an axis of the
-- PMDESS 2015-2020, by correspondence for earlier actions).
SELECT
    a.axe,
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
WHERE a.axe IS NOT NULL
  AND (len($axes) = 0 OR list_contains($axes, 'pmdess-2015-2020/' || a.axe))
ORDER BY a.axe, coalesce(a.annee_debut, p.debut, 9999), p.debut, a.id;
