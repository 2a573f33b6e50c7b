-- The sums the source documents print themselves, recomputed from their own rows.
-- `publie` is what the document prints, `calcule` what its rows add up to.
WITH annexe2 AS (
    SELECT a.id, a.budget_eur, r.realisation_ville_lille_eur, r.realisation_operateur_externe_eur
    FROM action a JOIN realisation_2013 r ON r.action = a.id
),
annexe2_financement AS (
    SELECT f.financeur, sum(f.montant_eur) AS montant
    FROM financement f JOIN annexe2 a ON a.id = f.action
    GROUP BY f.financeur
),
publie AS (SELECT id, valeur, source_doc || ', ' || source_lieu AS source FROM indicateur)
SELECT 1 AS ordre, 'Projets territoriaux 2012-2013 : montant global (Annexe 1)' AS libelle,
       p.valeur AS publie,
       (SELECT sum(f.montant_eur) FROM financement f JOIN action a ON a.id = f.action
        WHERE a.type = 'projet territorial') AS calcule, p.source
FROM publie p WHERE p.id = '2011-aap-territoires-montant'
UNION ALL
SELECT 2, 'Actions déléguées 2013 (Annexe 2) : colonne « Lille Métropole »', p.valeur,
       (SELECT montant FROM annexe2_financement WHERE financeur = 'MEL'), p.source
FROM publie p WHERE p.id = '2013-annexe2-total-lille-metropole'
UNION ALL
SELECT 3, 'Actions déléguées 2013 (Annexe 2) : colonne « Ville de Lille »', p.valeur,
       (SELECT montant FROM annexe2_financement WHERE financeur = 'Ville de Lille'), p.source
FROM publie p WHERE p.id = '2013-annexe2-total-ville-lille'
UNION ALL
SELECT 4, 'Actions déléguées 2013 (Annexe 2) : colonne « dont réalisation ville de Lille »',
       p.valeur, (SELECT sum(realisation_ville_lille_eur) FROM annexe2), p.source
FROM publie p WHERE p.id = '2013-annexe2-total-realisation-ville-lille'
UNION ALL
SELECT 5, 'Actions déléguées 2013 (Annexe 2) : colonne « dont réalisation opérateur externe »',
       p.valeur, (SELECT sum(realisation_operateur_externe_eur) FROM annexe2), p.source
FROM publie p WHERE p.id = '2013-annexe2-total-realisation-operateur-externe'
UNION ALL
SELECT 6, 'Actions déléguées 2013 (Annexe 2) : colonne « TOTAL »', p.valeur,
       (SELECT sum(budget_eur) FROM annexe2), p.source
FROM publie p WHERE p.id = '2013-annexe2-total-general'
UNION ALL
SELECT 7, 'Annexe 2, ligne TOTAL : Lille Métropole + Ville de Lille = TOTAL', t.valeur,
       lm.valeur + vl.valeur, t.source
FROM publie t, publie lm, publie vl
WHERE t.id = '2013-annexe2-total-general' AND lm.id = '2013-annexe2-total-lille-metropole'
  AND vl.id = '2013-annexe2-total-ville-lille'
UNION ALL
SELECT 8, 'Annexe 2, ligne TOTAL : réalisation Ville de Lille + opérateur externe = TOTAL',
       t.valeur, rv.valeur + ro.valeur, t.source
FROM publie t, publie rv, publie ro
WHERE t.id = '2013-annexe2-total-general' AND rv.id = '2013-annexe2-total-realisation-ville-lille'
  AND ro.id = '2013-annexe2-total-realisation-operateur-externe'
UNION ALL
-- The document prints the share with one decimal: compare at that precision.
SELECT 9, 'APES 2021 : part de la MEL dans le budget prévisionnel (%)', p.valeur,
       round(100.0 * m.valeur / b.valeur, 1), p.source
FROM publie p, publie m, publie b
WHERE p.id = 'apes-part-mel' AND m.id = 'apes-subvention-mel-2021' AND b.id = 'apes-budget-2021'
UNION ALL
SELECT 10, 'APES 2021 : budget prévisionnel = financements cités + part non attribuée', p.valeur,
       (SELECT sum(f.montant_eur) FROM financement f WHERE f.action = '2021-subvention-apes'),
       p.source
FROM publie p WHERE p.id = 'apes-budget-2021'
ORDER BY ordre;
