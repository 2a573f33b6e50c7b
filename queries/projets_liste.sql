-- The filtered projects with their labels, for tables and downloads.
SELECT *
FROM projets_libelles($annees, $axes, $territoires, $formes, $activites, $communes,
                     $subvention_min, $subvention_max)
ORDER BY annee, id;
