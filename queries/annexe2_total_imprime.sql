-- Annexe 2 of 002 (actions delegated to the Ville de Lille, 2013): the TOTAL line the document
-- prints, next to the sum of its 12 printed rows, per funding column.
WITH lignes AS (
    SELECT
        sum(f.montant_eur) FILTER (WHERE f.financeur = 'MEL')            AS mel,
        sum(f.montant_eur) FILTER (WHERE f.financeur = 'Ville de Lille') AS ville_lille,
        sum(f.montant_eur)                                               AS total
    FROM financement f
    JOIN realisation_2013 r ON r.action = f.action
)
SELECT 1 AS ordre, 'Lille Métropole' AS colonne, i.valeur AS imprime, l.mel AS somme_lignes
FROM indicateur i, lignes l WHERE i.id = '2013-annexe2-total-lille-metropole'
UNION ALL
SELECT 2, 'Ville de Lille', i.valeur, l.ville_lille
FROM indicateur i, lignes l WHERE i.id = '2013-annexe2-total-ville-lille'
UNION ALL
SELECT 3, 'TOTAL', i.valeur, l.total
FROM indicateur i, lignes l WHERE i.id = '2013-annexe2-total-general'
ORDER BY ordre;
