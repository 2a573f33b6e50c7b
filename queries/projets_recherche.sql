-- Every project found by the search under the filters (`projets_trouves`), for the downloads.
SELECT *
FROM projets_trouves($annees, $axes, $territoires, $formes, $activites, $communes,
                     $subvention_min, $subvention_max, $recherche)
ORDER BY annee, id;
