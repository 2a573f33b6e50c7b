-- Every published figure with its source document and place.
SELECT id, libelle, valeur, unite, periode, perimetre, source_doc, source_lieu,
       requete, cle, colonne, note
FROM indicateur
ORDER BY source_doc, id;
