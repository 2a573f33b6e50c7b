-- How many projects the search finds under the filters, with their grants and realised jobs
-- (those not known yet are counted apart, never as 0).
SELECT
    count(*)                               AS nb_projets,
    coalesce(sum(subvention_eur), 0)       AS subvention,
    coalesce(sum(emplois_realises_etp), 0) AS emplois_realises,
    count(*) - count(emplois_realises_etp) AS nb_realises_inconnus
FROM projets_trouves($annees, $axes, $territoires, $formes, $activites, $communes,
                     $subvention_min, $subvention_max, $recherche);
