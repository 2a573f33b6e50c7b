-- The four territorial projects the MEL supported in 2012-2013 (002, Annexe 1) and the amount
-- granted to each, against the call's published envelope. The sidebar axis filter applies (`action.axe` is an axis of the
-- PMDESS 2015-2020, by correspondence for earlier actions).
SELECT
    a.id,
    a.nom,
    a.operateur                                              AS porteur,
    a.axe_plan                                               AS volet,
    sum(f.montant_eur)                                       AS montant,
    (SELECT budget_eur FROM action WHERE id = '2011-aap-territoires') AS enveloppe,
    a.resultats,
    a.source_doc || ', ' || a.source_lieu                    AS source
FROM action a
JOIN financement f ON f.action = a.id
WHERE a.type = 'projet territorial'
  AND (a.axe IS NULL OR len($axes) = 0 OR list_contains($axes, 'pmdess-2015-2020/' || a.axe))
GROUP BY ALL
ORDER BY montant DESC;
