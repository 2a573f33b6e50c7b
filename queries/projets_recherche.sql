-- The filtered projects whose label, identifier, commune, territory or activity contains the
-- searched text (case and accents ignored); every filtered project when the text is empty.
SELECT
    p.id,
    p.libelle,
    p.annee,
    c.nom            AS commune,
    t.nom            AS territoire,
    f.libelle        AS forme_juridique,
    p.statut,
    a.libelle        AS activite,
    p.axe,
    p.subvention_eur,
    p.emplois_prevus_etp,
    p.emplois_realises_etp,
    p.provenance,
    p.source
FROM projets_filtres($annees, $axes, $territoires, $formes, $activites) p
JOIN commune c ON c.insee = p.commune
JOIN territoire t ON t.code = p.territoire
JOIN forme_juridique f ON f.code = p.forme_juridique
JOIN activite a ON a.code = p.activite
WHERE trim($recherche) = ''
   OR contains(
        strip_accents(lower(concat_ws(' ', p.id, p.libelle, c.nom, t.nom, a.libelle))),
        strip_accents(lower(trim($recherche))))
ORDER BY p.annee, p.id;
