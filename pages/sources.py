"""Chiffres clés et sources: every published figure, and how the reconstructed data is made."""

import streamlit as st

from ess import ui

ui.header("Chiffres clés et sources")

st.header("Méthode des données reconstituées")
st.markdown(
    """
Les résultats de l'appel à projets « Entreprendre autrement » **par projet** ne sont pas publics.
Le tableau de bord montre un jeu de 62 projets **reconstitué** par un programme déterministe
(`python -m ess reconstruct`) qui reproduit exactement chaque chiffre publié :

- 62 projets financés de 2015 à 2018, dont 28 associations (45 %) et 34 entreprises coopératives
  ou sociales (55 %) ;
- les types d'activité de la diapositive des Assises 2019 ; la diapositive montre aussi deux
  nombres dont l'OCR a perdu le libellé (9 et 4, ce qui ferait 63 projets) : les 12 projets
  restants sont classés « Autre activité (libellé illisible dans la source) » ;
- les territoires : Lillois 34, Roubaisien 12, Est 7, Couronne Nord 4, Tourquennois 2,
  Couronne Sud 1, Weppes 0 ; les parts publiées totalisent 97 %, les 2 projets restants sont
  placés dans la Lys (déduction du projet) ;
- 15 projets en 2016 et 17 en 2017 (livrets des lauréats), 15 en 2015 et 15 en 2018 (hypothèse) ;
- des subventions d'au plus 20 000 € totalisant 768 200 € ; 455 ETP prévus et 483 ETP réalisés.

Les noms réels ne sont utilisés que lorsqu'une source publique les donne ; les autres projets
portent un libellé neutre (« Projet 2016-07 »). **Axe** : aucune source ne donne l'axe du
PMDESS 2015-2020 de chaque projet ; l'appel à projets relève de l'axe 1 (accompagnement et
financement) et chaque projet reçoit l'axe que sert son activité : numérique et bâtiment ou
éco-construction → axe 3 (innovation) ; art et culture, communication → axe 4 (sensibilisation,
promotion) ; solidarité, citoyenneté, cohésion sociale → axe 2 (animation territoriale) ;
petite enfance, santé → axe 5 (emploi) ; toutes les autres activités → axe 1.

Le vrai fichier de la MEL remplace ce jeu par l'import réservé aux agents.
"""
)

st.header("Chiffres publiés")
indicateurs = ui.query("indicateurs")
st.dataframe(
    indicateurs[["libelle", "valeur", "unite", "periode", "source_doc", "source_lieu", "note"]],
    hide_index=True,
    width="stretch",
    column_config={
        "libelle": "Chiffre", "valeur": st.column_config.NumberColumn("Valeur", format="localized"),
        "unite": "Unité", "periode": "Période", "source_doc": "Document",
        "source_lieu": "Emplacement", "note": "Remarque",
    },
)
