-- The roadmap in figures: its actions, those whose status is known, those done, and those
-- with an indicator; what the published count of actions is reconciled with.
SELECT
    count(*)                                                 AS nb_actions,
    count(nom)                                               AS nb_actions_publiees,
    count(statut)                                            AS nb_statuts,
    count(*) FILTER (WHERE statut = 'réalisé')               AS nb_realisees,
    count(*) FILTER (WHERE statut = 'en cours')              AS nb_en_cours,
    count(*) FILTER (WHERE statut = 'à lancer')              AS nb_a_lancer,
    count(indicateur)                                        AS nb_indicateurs
FROM feuille_de_route;
