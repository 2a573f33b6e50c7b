-- Actions and schemes chosen by id (`$ids`), in the order asked, with their operator and source:
-- the support structures and premises slide of the Assises deck.
SELECT
    a.id,
    a.nom,
    a.operateur,
    a.annee_debut,
    a.axe,
    a.source_doc,
    a.source_doc || ', ' || a.source_lieu                    AS source
FROM action a
WHERE list_contains($ids, a.id)
ORDER BY list_position($ids, a.id);
