"""Plan et budgets: the ESS plans from 2002 to 2026, what each axis of the PMDESS 2015-2020
produced, and the budgets of the 2011-2014 actions, the APES and the Lille strategy."""

import pandas as pd
import streamlit as st

from ess import feuille_de_route, fmt, plan_charts, provenance, tables, ui

filtres = ui.header(
    "Plan et budgets",
    "Les plans de développement de l'économie sociale et solidaire de la MEL et de la Ville de "
    "Lille de 2002 à 2026, ce qu'a produit chaque axe du PMDESS 2015-2020, et les budgets publiés "
    "avec leurs financeurs. Les filtres de projets s'appliquent aux projets de l'appel "
    "« Entreprendre autrement » ; le filtre d'axe s'applique aussi aux actions.",
)
# The Assises' own slides: the timeline, the axes, the budgets, the ESS in the métropole.
ui.assises_export()

# --- Timeline --------------------------------------------------------------------------------
st.header("Les plans de 2002 à 2026")
plans = ui.query("plans_chronologie")
ui.chart(
    ui.figure(plan_charts.chronologie_plans, plans),
    tables.lisible(plans, {
        "nom": ("Plan ou délibération", None), "porteur": ("Porteur", None),
        "type": ("Type", None), "debut": ("Début", str), "fin": ("Fin", str),
        "budget_eur": ("Budget publié", fmt.euros), "source_doc": ("Document", None),
        "source_lieu": ("Emplacement", None),
    }),
    "plans",
)

# --- Axes of the PMDESS 2015-2020 -------------------------------------------------------------
st.header("Les cinq axes du PMDESS 2015-2020 et ce qu'ils ont produit")
axes = ui.query("axes_realisations", filtres)
if axes.empty:
    st.info("Aucun axe ne correspond au filtre d'axe. Élargissez la sélection dans le panneau "
            "de gauche.")
else:
    ui.chart(
        ui.figure(plan_charts.realisations_par_axe, axes),
        tables.lisible(axes, {
            "axe": ("Axe", str), "nom": ("Intitulé", None), "nb_projets": ("Projets", fmt.nombre),
            "subvention": ("Subventions", fmt.euros),
            "emplois_prevus": ("Emplois prévus", fmt.etp),
            "emplois_realises": ("Emplois réalisés", fmt.etp),
            "nb_actions": ("Actions et dispositifs", fmt.nombre),
        }),
        "axes",
    )
    # Axis numbers as text: the address holds the chosen one (`?axe_detail=3`).
    labels = dict(zip(axes["axe"].astype(str), axes["nom"]))
    choix = ui.url_widget(
        st.segmented_control, "axe_detail", "Axe détaillé", allowed=list(labels),
        default=next(iter(labels)), options=list(labels), format_func=lambda a: f"Axe {a}",
        required=True, help="Choisissez l'axe dont le détail s'affiche ci-dessous.",
    ) or next(iter(labels))
    axe = axes[axes["axe"].astype(str) == choix].iloc[0]
    st.subheader(f"Axe {choix} : {tables.texte(labels[choix])}")

    def origin(column: str) -> str:
        return axe.get(provenance.PREFIX + column, provenance.PUBLIE)

    ui.kpis([
        ui.Kpi("Projets financés", fmt.nombre(axe["nb_projets"]), "De l'appel à projets.",
               provenance=origin("nb_projets")),
        ui.Kpi("Subventions accordées", fmt.euros(axe["subvention"]), "Par la MEL.",
               provenance=origin("subvention")),
        ui.Kpi("Emplois réalisés", fmt.etp(axe["emplois_realises"]),
               f"Pour {fmt.etp(axe['emplois_prevus'])} prévus.",
               provenance=origin("emplois_realises")),
        ui.Kpi("Actions et dispositifs", fmt.nombre(axe["nb_actions"]),
               "Publiés pour cet axe."),
    ])
    st.caption("Projets de l'appel à projets « Entreprendre autrement » des années du PMDESS "
               "2015-2020 sous les filtres actifs ; l'axe d'un projet est celui que sert son "
               "activité (voir la méthode).")
    actions = ui.query("axes_actions", filtres)
    actions = actions[actions["axe"].astype(str) == choix]
    if actions.empty:
        st.info("Aucune action publiée n'est rattachée à cet axe.")
    for plan, group in actions.groupby("plan", sort=False):
        st.markdown(f"#### {tables.texte(plan)}")
        for action in group.itertuples():
            budget = "budget non chiffré" if pd.isna(action.budget_eur) else fmt.euros(
                action.budget_eur)
            details = " · ".join(filter(None, [
                tables.periode(action.annee_debut, action.annee_fin), budget,
                tables.texte(action.operateur)]))
            with st.container(border=True):
                st.markdown(f"**{tables.texte(action.nom)}**  \n{details}")
                # Not a caption: the texts hold links, too pale in a caption's faded colour.
                st.markdown(f"{tables.texte(action.resultats)}  \n"
                            f"*Source : {tables.texte(action.source)}.*")
    if actions["plan"].str.startswith("Plan d'actions").any():
        st.caption("Les actions 2011-2014 sont rattachées à l'axe 2015-2020 qui leur correspond "
                   "(correspondance décrite dans la méthode).")

# --- ESS roadmap 2022-2026 ---------------------------------------------------------------------
feuille = ui.query("feuille_de_route_actions")
if not feuille.empty:
    plan = feuille["plan"].iloc[0]
    st.header(f"La {plan[0].lower()}{plan[1:]} : actions, statuts et indicateurs")
    suivi = ui.query("feuille_de_route_kpi").iloc[0]
    publies = ui.query("indicateurs").set_index("id")["valeur"]
    cards = st.columns(4)
    cards[0].metric("Actions", fmt.nombre(suivi["nb_actions"]),
                    help=f"{fmt.nombre(suivi['nb_actions_publiees'])} intitulés publiés dans les "
                         "sources consultées.")
    cards[1].metric("Axes", fmt.nombre(publies.get("fdr-nb-axes", 0)))
    cards[2].metric("Statut connu", f"{fmt.nombre(suivi['nb_statuts'])} / "
                                    f"{fmt.nombre(suivi['nb_actions'])}",
                    help="Statuts saisis par les agents de la MEL (à lancer, en cours, réalisé).")
    cards[3].metric("Budget par an", f"≈ {fmt.nombre(publies.get('fdr-budget-annuel') / 1e6)}"
                                     f"{fmt.NBSP}M€",
                    help="Budget de fonctionnement annuel de la feuille de route, « environ "
                         "1 M€ » (Conseil de la MEL du 25 février 2022).")
    ui.chart(
        ui.figure(plan_charts.feuille_de_route_statuts, feuille),
        tables.lisible(feuille, {
            "action": ("Action", str), "axe": ("Axe", lambda v: str(int(v))),
            "nom": ("Intitulé", None), "statut": ("Statut", None),
            "indicateur": ("Indicateur", None), "valeur_reference": ("Référence", fmt.nombre),
            "valeur_actuelle": ("Valeur actuelle", fmt.nombre), "cible": ("Cible", fmt.nombre),
            "source": ("Source", None),
        }),
        "feuille_de_route",
    )
    # Actions of which nothing is published yet read as one line, not as empty cards.
    vides = feuille["nom"].isna() & feuille["statut"].isna() & feuille["indicateur"].isna()
    # Axes in order, the actions whose axis is not published last.
    for axe, group in sorted(feuille[~vides].groupby(feuille["axe"].fillna(0)),
                             key=lambda item: item[0] == 0):
        st.subheader(tables.texte(f"Axe {int(axe)} · {group['axe_nom'].iloc[0]}") if axe
                     else "Actions dont l'axe n'est pas publié")
        for action in group.itertuples():
            with st.container(border=True):
                statut = action.statut if pd.notna(action.statut) else plan_charts.NON_PUBLIE
                st.markdown(f"**Action {action.action}** · "
                            f"{tables.texte(action.nom) or plan_charts.NON_PUBLIE}  \n"
                            f"Statut : **{statut}**")
                if pd.notna(action.indicateur):
                    st.markdown(feuille_de_route.indicateur(action))
                    progress = feuille_de_route.progression(action)
                    if progress is not None:
                        st.progress(progress, text=f"{fmt.pct(100 * progress)} du chemin "
                                                   "vers la cible")
                if pd.notna(action.commentaire):
                    st.markdown(tables.texte(action.commentaire))
                if pd.notna(action.source):
                    st.caption(f"Source : {tables.texte(action.source)}.")
    if vides.any():
        st.markdown(f"**Actions {plan_charts.runs(feuille.loc[vides, 'action'].tolist())}** : "
                    "intitulé, axe et statut non publiés dans les sources consultées.")

# --- 2011-2014 actions and their funders ------------------------------------------------------
st.header("Le plan d'actions 2011-2014 et ses financeurs")
actions_2011 = ui.query("actions_2011_2014_par_financeur", filtres)
if actions_2011.empty:
    st.info("Aucune action 2011-2014 ne relève des axes choisis.")
# Two charts: the first table's 110 000 € envelope would flatten the delegated actions' bars.
for annexe2, key in ((False, "actions_2011"), (True, "actions_2013")):
    rows = actions_2011[actions_2011["annexe2"] == annexe2]
    if len(rows):
        ui.chart(
            ui.figure(plan_charts.actions_par_financeur, rows),
            tables.lisible(rows, {
                "groupe": ("Tableau ou axe de 002", None), "nom": ("Action", None),
                "operateur": ("Opérateur", None), "mel": ("MEL", fmt.euros),
                "ville_lille": ("Ville de Lille", fmt.euros), "budget_eur": ("Budget", fmt.euros),
                "source": ("Source", None),
            }),
            key,
        )
totaux = ui.query("annexe2_total_imprime").set_index("colonne")
imprime, lignes = totaux.loc["TOTAL", "imprime"], totaux.loc["TOTAL", "somme_lignes"]
st.markdown("**La ligne TOTAL de l'Annexe 2 n'est pas la somme de ses lignes.**")
cards = st.columns(3)
cards[0].metric("TOTAL imprimé par le document", fmt.euros(imprime))
cards[1].metric("Somme des 12 lignes imprimées", fmt.euros(lignes))
cards[2].metric("Écart", fmt.euros(imprime - lignes))
st.markdown(
    "Pour les 12 actions déléguées à la Ville de Lille en 2013, le document imprime un TOTAL de "
    f"{fmt.euros(imprime)} ({fmt.euros(totaux.loc['Lille Métropole', 'imprime'])} pour Lille "
    f"Métropole, {fmt.euros(totaux.loc['Ville de Lille', 'imprime'])} pour la Ville de Lille), "
    f"alors que ses lignes font {fmt.euros(lignes)} "
    f"({fmt.euros(totaux.loc['Lille Métropole', 'somme_lignes'])} et "
    f"{fmt.euros(totaux.loc['Ville de Lille', 'somme_lignes'])}). Le graphique montre les lignes ; "
    "les deux chiffres restent visibles ici et sur la page « Chiffres clés et sources »."
)

# --- Territorial projects 2012-2013 -----------------------------------------------------------
st.header("Les quatre projets territoriaux de 2012-2013")
territoriaux = ui.query("projets_territoriaux_2012_2013", filtres)
if territoriaux.empty:
    st.info("Les projets territoriaux relèvent de l'axe 2, absent des axes choisis.")
else:
    total, enveloppe = territoriaux["montant"].sum(), territoriaux["enveloppe"].iloc[0]
    cards = st.columns(3)
    cards[0].metric("Projets soutenus", fmt.nombre(len(territoriaux)))
    cards[1].metric("Montant global accordé", fmt.euros(total))
    cards[2].metric("Enveloppe publiée de l'appel", fmt.euros(enveloppe),
                    help="« 110 k€ (enveloppe allouée) » dans le premier tableau de 002.")
    st.table(
        tables.cellules_texte(tables.lisible(territoriaux, {
            "nom": ("Projet", None), "porteur": ("Porteur", None), "volet": ("Volet", None),
            "montant": ("Montant accordé", fmt.euros),
        })),
        hide_index=True,
    )
    st.caption("Source : 002, Annexe 1 « soutien aux projets soutenus dans le cadre de l'appel à "
               "projets (2012-2013) », colonne Montant accordé.")
    st.markdown(
        f"Les quatre projets ont reçu {fmt.euros(total)}, plus que l'enveloppe de "
        f"{fmt.euros(enveloppe)} publiée pour l'appel à projets aux territoires. La part de la "
        "Ville de Lille (73 000 € en 2012 et en 2013) finance les actions déléguées de l'Annexe 2 : "
        "ne pas l'additionner à la colonne « Lille Métropole » de cette annexe."
    )

# --- APES 2021 --------------------------------------------------------------------------------
st.header("Le plan de financement 2021 de l'APES")
apes = ui.query("apes_plan_financement_2021", filtres)
if apes.empty:
    st.info("La subvention à l'APES relève de l'axe 2, absent des axes choisis.")
else:
    ui.chart(
        ui.figure(plan_charts.apes_financeurs, apes),
        tables.lisible(apes, {
            "financeur": ("Financeur", None), "montant": ("Montant", fmt.euros),
            "part_pct": ("Part du budget", lambda v: fmt.pct(v, 1)), "nature": ("Nature", None),
            "source": ("Source", None),
        }),
        "apes",
    )
    mel = apes[apes["financeur"] == "MEL"].iloc[0]
    reste = apes[apes["nature"] == plan_charts.NON_ATTRIBUE].iloc[0]
    st.markdown(
        f"La MEL accorde {fmt.euros(mel['montant'])} à l'APES, soit "
        f"{fmt.pct(mel['part_pct'], 1)} de son budget prévisionnel de {fmt.euros(mel['budget'])}, "
        "comme en 2020. Les montants de l'État, de la Région et des autres collectivités sont "
        "sollicités par l'APES, pas encore accordés. **La décision ne dit pas d'où viennent les "
        f"{fmt.euros(reste['montant'])} restants** ({fmt.pct(reste['part_pct'], 1)} du budget) : "
        "le graphique les montre en gris hachuré, « non attribué par la source »."
    )

# --- Lille strategy 2021-2026 -----------------------------------------------------------------
st.header("La stratégie ESS 2021-2026 de la Ville de Lille")
lille = ui.query("lille_strategie_axes")
cards = st.columns(3)
cards[0].metric("Axes", fmt.nombre(len(lille)))
cards[1].metric("Priorités", fmt.nombre(lille["nb_priorites"].sum()))
cards[2].metric("Moyens financiers estimés", fmt.euros(lille["budget_plan"].iloc[0]),
                help="Pour la période 2021-2026 ; montant « estimé » par la délibération.")
ui.chart(
    ui.figure(plan_charts.lille_priorites, lille),
    tables.lisible(lille, {
        "axe": ("Axe", str), "nom": ("Intitulé", None), "nb_priorites": ("Priorités", fmt.nombre),
        "premiere_priorite": ("De la priorité n°", str), "derniere_priorite": ("à la n°", str),
        "source": ("Source", None),
    }),
    "lille",
)
