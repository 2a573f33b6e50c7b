-- The ESS plans and framework deliberations of the MEL and the Ville de Lille, 2002-2026, in time
-- order. A deliberation is a single year: `fin` is then its own year.
SELECT
    code,
    nom,
    nom_court,
    type,
    porteur,
    debut,
    coalesce(fin, debut) AS fin,
    budget_eur,
    source_doc,
    source_lieu
FROM plan
ORDER BY porteur, debut, coalesce(fin, debut);
