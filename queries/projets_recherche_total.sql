-- How many projects the search finds under the filters, with their grants and realised jobs.
SELECT
    count(*)                               AS nb_projets,
    coalesce(sum(subvention_eur), 0)       AS subvention,
    coalesce(sum(emplois_realises_etp), 0) AS emplois_realises
FROM projets_trouves($annees, $axes, $territoires, $formes, $activites, $communes,
                     $subvention_min, $subvention_max, $recherche);
