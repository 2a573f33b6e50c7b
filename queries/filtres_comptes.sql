-- How many projects each sidebar value would select, under the other filters: the counts of
-- « Lillois (34) ». A dimension's own selection is left out of its counts, so that a reader
-- sees what adding or swapping a value would give.
WITH
    par_annee AS (SELECT * FROM projets_filtres([], $axes, $territoires, $formes, $activites,
                                                $communes, $subvention_min, $subvention_max)),
    par_axe AS (SELECT * FROM projets_filtres($annees, [], $territoires, $formes, $activites,
                                              $communes, $subvention_min, $subvention_max)),
    par_territoire AS (SELECT * FROM projets_filtres($annees, $axes, [], $formes, $activites,
                                                     $communes, $subvention_min, $subvention_max)),
    par_forme AS (SELECT * FROM projets_filtres($annees, $axes, $territoires, [], $activites,
                                                $communes, $subvention_min, $subvention_max)),
    par_activite AS (SELECT * FROM projets_filtres($annees, $axes, $territoires, $formes, [],
                                                   $communes, $subvention_min, $subvention_max)),
    par_commune AS (SELECT * FROM projets_filtres($annees, $axes, $territoires, $formes,
                                                  $activites, [], $subvention_min,
                                                  $subvention_max))
SELECT 'annees' AS filtre, CAST(annee AS VARCHAR) AS valeur, count(*) AS nb_projets
FROM par_annee GROUP BY annee
UNION ALL
SELECT 'axes', CAST(axe AS VARCHAR), count(*) FROM par_axe WHERE axe IS NOT NULL GROUP BY axe
UNION ALL
SELECT 'territoires', territoire, count(*) FROM par_territoire GROUP BY territoire
UNION ALL
SELECT 'formes', forme_juridique, count(*) FROM par_forme GROUP BY forme_juridique
UNION ALL
SELECT 'activites', activite, count(*) FROM par_activite GROUP BY activite
UNION ALL
SELECT 'communes', commune, count(*) FROM par_commune GROUP BY commune;
