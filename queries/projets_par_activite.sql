-- Projects per activity type, next to the count the 2019 Assises slide published.
WITH filtres AS (
    SELECT * FROM projets_filtres($annees, $axes, $territoires, $formes, $activites)
)
SELECT
    a.code                                                   AS activite,
    a.libelle,
    count(p.id)                                              AS nb_projets,
    100.0 * count(p.id) / nullif((SELECT count(*) FROM filtres), 0) AS part_pct,
    a.nb_publie,
    coalesce(sum(p.subvention_eur), 0)                       AS subvention,
    coalesce(sum(p.emplois_prevus_etp), 0)                   AS emplois_prevus,
    CASE WHEN count(p.id) = 0 THEN 0 ELSE sum(p.emplois_realises_etp) END AS emplois_realises,
    count(p.id) - count(p.emplois_realises_etp)              AS nb_realises_inconnus,
    coalesce(sum(p.emplois_prevus_etp) FILTER (WHERE p.emplois_realises_etp IS NOT NULL), 0)
                                                             AS emplois_prevus_connus,
    coalesce(sum(p.subvention_eur) FILTER (WHERE p.emplois_realises_etp IS NOT NULL), 0)
                                                             AS subvention_connue
FROM activite a
LEFT JOIN filtres p ON p.activite = a.code
GROUP BY a.code, a.libelle, a.nb_publie, a.ordre
ORDER BY a.ordre;
