-- The Ville de Lille's ESS strategy 2021-2026 (001): its axes, the priorities of each (numbered
-- 1 to 20 across the axes) and the strategy's estimated budget.
SELECT
    x.numero                                                 AS axe,
    x.nom,
    x.nb_priorites,
    CAST(sum(x.nb_priorites) OVER (ORDER BY x.numero) - x.nb_priorites + 1 AS INTEGER)
                                                             AS premiere_priorite,
    CAST(sum(x.nb_priorites) OVER (ORDER BY x.numero) AS INTEGER) AS derniere_priorite,
    p.budget_eur                                             AS budget_plan,
    p.debut,
    p.fin,
    x.source_doc || ', ' || x.source_lieu                    AS source
FROM axe x
JOIN plan p ON p.code = x.plan
WHERE x.plan = 'lille-2021-2026'
ORDER BY x.numero;
