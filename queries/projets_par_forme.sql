-- Projects per legal form (associations vs cooperative or social enterprises), next to the
-- share the 2019 Assises slide published.
WITH filtres AS (
    SELECT * FROM projets_filtres($annees, $axes, $territoires, $formes, $activites, $communes,
                     $subvention_min, $subvention_max)
)
SELECT
    f.code                                                   AS forme_juridique,
    f.libelle,
    count(p.id)                                              AS nb_projets,
    100.0 * count(p.id) / nullif((SELECT count(*) FROM filtres), 0) AS part_pct,
    i.valeur                                                 AS part_publiee_pct,
    coalesce(sum(p.subvention_eur), 0)                       AS subvention,
    coalesce(sum(p.emplois_prevus_etp), 0)                   AS emplois_prevus,
    unnest(emplois_connus(p.id, p.emplois_prevus_etp, p.emplois_realises_etp, p.subvention_eur)),
    count(p.id) FILTER (WHERE p.provenance = 'reconstitué')  AS nb_reconstitues
FROM forme_juridique f
LEFT JOIN filtres p ON p.forme_juridique = f.code
LEFT JOIN indicateur i
    ON i.requete = 'projets_par_forme' AND i.colonne = 'part_pct' AND i.cle = f.code
GROUP BY f.code, f.libelle, f.ordre, i.valeur
ORDER BY f.ordre;
