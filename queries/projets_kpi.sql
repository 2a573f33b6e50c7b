-- Headline figures of the call for projects under the sidebar filters. Realised jobs not known
-- yet (recent projects) are left out of the sums and of the ratios, never counted as 0
-- (`emplois_connus`, schema.sql).
SELECT
    count(*)                                                   AS nb_projets,
    coalesce(sum(subvention_eur), 0)                           AS subvention_totale,
    avg(subvention_eur)                                        AS subvention_moyenne,
    max(subvention_eur)                                        AS subvention_max,
    coalesce(sum(emplois_prevus_etp), 0)                       AS emplois_prevus,
    unnest(emplois_connus(id, emplois_prevus_etp, emplois_realises_etp, subvention_eur)),
    count(*) FILTER (WHERE forme_juridique = 'association')    AS nb_associations,
    100.0 * count(*) FILTER (WHERE forme_juridique = 'association')
        / nullif(count(*), 0)                                  AS part_associations_pct,
    count(*) FILTER (WHERE provenance = 'reconstitué')         AS nb_reconstitues
FROM projets_filtres($annees, $axes, $territoires, $formes, $activites, $communes,
                     $subvention_min, $subvention_max);
