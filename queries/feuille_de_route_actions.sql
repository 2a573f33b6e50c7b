-- The actions of MEL's ESS roadmap (feuille de route 2022-2026), followed like a results
-- barometer: status and, where staff have one, an indicator (baseline, current value, target).
-- Empty name, axis or status: not published in the sources read.
SELECT
    f.action,
    f.axe,
    x.nom                                                    AS axe_nom,
    f.nom,
    f.statut,
    f.indicateur,
    f.unite,
    f.valeur_reference,
    f.annee_reference,
    f.valeur_actuelle,
    f.annee_actuelle,
    f.cible,
    f.annee_cible,
    f.commentaire,
    f.source_doc || ', ' || f.source_lieu                    AS source,
    p.nom_court                                              AS plan,
    p.debut,
    p.fin
FROM feuille_de_route f
JOIN plan p ON p.code = f.plan
LEFT JOIN axe x ON x.plan = f.plan AND x.numero = f.axe
ORDER BY p.debut, f.action;
