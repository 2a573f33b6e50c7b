-- One page of the projects found by the search under the filters, in the order of the
-- downloads: `$limite` rows from row `$debut` (0 for the first).
SELECT *
FROM projets_trouves($annees, $axes, $territoires, $formes, $activites, $communes,
                     $subvention_min, $subvention_max, $recherche)
ORDER BY annee, id
LIMIT $limite OFFSET $debut;
