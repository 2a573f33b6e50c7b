-- Projects per activity type, next to the count the 2019 Assises slide published.
WITH filtres AS (
    SELECT * FROM projets_filtres($annees, $axes, $territoires, $formes, $activites, $communes,
                     $subvention_min, $subvention_max)
)
SELECT
    a.code                                                   AS activite,
    a.libelle,
    count(p.id)                                              AS nb_projets,
    100.0 * count(p.id) / nullif((SELECT count(*) FROM filtres), 0) AS part_pct,
    a.nb_publie,
    coalesce(sum(p.subvention_eur), 0)                       AS subvention,
    coalesce(sum(p.emplois_prevus_etp), 0)                   AS emplois_prevus,
    unnest(emplois_connus(p.id, p.emplois_prevus_etp, p.emplois_realises_etp, p.subvention_eur)),
    count(p.id) FILTER (WHERE p.provenance = 'reconstitué')  AS nb_reconstitues
FROM activite a
LEFT JOIN filtres p ON p.activite = a.code
GROUP BY a.code, a.libelle, a.nb_publie, a.ordre
ORDER BY a.ordre;
