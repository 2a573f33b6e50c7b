-- Who funds the 2021 budget of the APES (004): the MEL's grant, the amounts requested from the
-- other funders, and the part the source attributes to no one. The action's own amount is the
-- MEL's grant: the association's budget is the sum of its funding plan (that sum is checked
-- against the published budget on the sources page). The sidebar axis filter applies
-- (`action.axe` is an axis of the PMDESS 2015-2020, by correspondence for earlier actions).
SELECT
    f.financeur,
    f.montant_eur                                            AS montant,
    f.nature,
    100.0 * f.montant_eur / sum(f.montant_eur) OVER ()       AS part_pct,
    sum(f.montant_eur) OVER ()                               AS budget,
    f.source_doc || ', ' || f.source_lieu                    AS source
FROM financement f
JOIN action a ON a.id = f.action
WHERE a.id = '2021-subvention-apes'
  AND (a.axe IS NULL OR len($axes) = 0 OR list_contains($axes, 'pmdess-2015-2020/' || a.axe))
ORDER BY f.nature = 'non attribué', f.montant_eur DESC;
