-- Published figures chosen by id (`$ids`), in the order asked: the key-figure cards of the
-- Assises slides (the ESS in the métropole, the Fabrique de l'emploi, the support structures).
SELECT id, libelle, valeur, unite, periode, perimetre, source_doc, source_lieu, note
FROM indicateur
WHERE list_contains($ids, id)
ORDER BY list_position($ids, id);
