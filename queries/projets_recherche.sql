-- The filtered projects whose label, identifier, commune, territory or activity contains the
-- searched text (case and accents ignored); every filtered project when the text is empty.
SELECT *
FROM projets_libelles($annees, $axes, $territoires, $formes, $activites)
WHERE trim($recherche) = ''
   OR contains(
        strip_accents(lower(concat_ws(' ', id, libelle, commune, territoire, activite))),
        strip_accents(lower(trim($recherche))))
ORDER BY annee, id;
