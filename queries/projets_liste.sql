-- The filtered projects with their labels, for tables and downloads.
SELECT *
FROM projets_libelles($annees, $axes, $territoires, $formes, $activites)
ORDER BY annee, id;
