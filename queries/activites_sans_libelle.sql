-- The counts of the 2019 Assises slide « Types d'activités » whose label the OCR lost, and the
-- total of every count on that slide (one more than the 62 projects funded).
WITH perdus AS (
    SELECT valeur, source_lieu FROM indicateur WHERE id LIKE 'aap-activite-sans-libelle-%'
)
SELECT
    valeur                                                                    AS nb_publie,
    source_lieu,
    (SELECT sum(nb_publie) FROM activite) + (SELECT sum(valeur) FROM perdus)  AS total_publie
FROM perdus
ORDER BY valeur DESC;
