"""The public pages as a static site: `python -m ess export site -o DIR`.

Plain HTML files with the Plotly charts and the map embedded, the tables in French formats,
one CSV file per table and the sources page. Built from the same queries (`queries/`) and chart
builders (`ess.charts`, `ess.maps`) as the dashboard, for the default view (every project).
Any static host or CDN can serve the folder to any number of readers, with no Python server;
it also opens from the disk. Nothing is loaded from the internet: the folder holds its one copy
of plotly.js and its stylesheet.
"""

from __future__ import annotations

import datetime
import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd
import plotly.graph_objects as go
import plotly.offline

from ess import charts, filters, fmt, kpis, maps, plan_charts, plotly_fr, provenance, queries, theme
from ess.exports import tables as export_tables
from ess.paths import GEO_DIR, STORE_FILE
from ess.publication import ACCESSIBILITY
from ess.store import open_store
from ess.tables import download_lines
PLOTLY_JS = "plotly.min.js"
STYLESHEET = "site.css"
PLOTLY_CONFIG = plotly_fr.config(responsive=True)
UNKNOWN = "non connu"  # realised jobs of recent projects: never 0

CSS = f"""
body {{ margin: 0; font-family: Helvetica, Arial, sans-serif; color: {theme.INK};
       background: {theme.BACKGROUND}; line-height: 1.45; }}
header {{ background: {theme.PRIMARY}; color: #fff; padding: .8rem 1.5rem; }}
header nav {{ display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; align-items: baseline; }}
header a {{ color: #fff; text-decoration: none; padding: .2rem 0; }}
header a[aria-current] {{ text-decoration: underline; font-weight: bold; }}
header .site {{ font-weight: bold; margin-right: .8rem; }}
main {{ max-width: 1200px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }}
h1 {{ font-size: 1.9rem; margin: .6rem 0; }}
.notice {{ border: 1px solid {theme.GRID}; border-left: 4px solid {theme.PRIMARY};
          padding: .6rem 1rem; margin: 1rem 0; background: #f3f5f7; }}
.kpis {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 1rem;
        margin: 1rem 0; }}
.kpi {{ border: 1px solid {theme.GRID}; border-radius: 6px; padding: .8rem 1rem; }}
.kpi .label {{ color: {theme.MUTED}; font-size: .95rem; }}
.kpi .value {{ font-size: 2rem; font-weight: bold; }}
.kpi .detail {{ color: {theme.MUTED}; font-size: .9rem; }}
.kpi .mark {{ color: {theme.MUTED}; font-weight: bold; font-size: .9rem; }}
.charts {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(min(460px, 100%), 1fr));
          gap: 1rem; }}
/* A wide table scrolls inside its own box on a phone; its first column stays in view. */
.table {{ overflow-x: auto; }}
.table th:first-child, .table td:first-child {{ position: sticky; left: 0;
  background: {theme.BACKGROUND}; }}
@media (max-width: 600px) {{
  header, main, footer {{ padding-left: .8rem; padding-right: .8rem; }}
  h1 {{ font-size: 1.5rem; }}
  td:first-child {{ min-width: 8rem; max-width: 11rem; }}
}}
/* auto-fill keeps the empty second column while the first chart draws itself */
.charts > div {{ min-width: 0; }}
table {{ border-collapse: collapse; width: 100%; margin: .5rem 0 .3rem; font-size: .92rem; }}
caption {{ text-align: left; font-weight: bold; padding: .3rem 0; }}
th, td {{ border-bottom: 1px solid {theme.GRID}; padding: .3rem .5rem; text-align: left;
         vertical-align: top; }}
td.num {{ text-align: right; white-space: nowrap; }}
.download {{ margin-bottom: 1.5rem; font-size: .92rem; }}
a {{ color: {theme.PRIMARY}; }}
footer {{ color: {theme.MUTED}; font-size: .85rem; border-top: 1px solid {theme.GRID};
         padding: 1rem 1.5rem; }}
"""


@dataclass(frozen=True)
class Column:
    """A table column: source column, French header, and how to write a value."""

    name: str
    header: str
    text: Callable = str
    numeric: bool = False
    missing: str = ""  # what an empty cell reads


def _cell(value, text: Callable, missing: str = "") -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return missing
    return text(value)


def _integer(value) -> str:
    return fmt.nombre(int(value))


def _decimal(value) -> str:
    return fmt.nombre(value, 0 if float(value).is_integer() else 1)


class Page:
    """One HTML page being assembled; `write` adds its CSV files to the folder."""

    def __init__(self, folder: Path, file: str, title: str):
        self.folder, self.file, self.title = folder, file, title
        self.parts: list[str] = []

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def text(self, paragraph: str) -> None:
        self.add(f"<p>{html.escape(paragraph)}</p>")

    def chart(self, fig: go.Figure, key: str) -> None:
        # Streamlit's chart theme grows the margins to fit long axis labels; so does the page.
        fig.update_xaxes(automargin=True).update_yaxes(automargin=True)
        self.add(
            fig.to_html(full_html=False, include_plotlyjs=False, config=PLOTLY_CONFIG,
                        div_id=f"graphique-{key}")
        )

    def table(self, data: pd.DataFrame, columns: list[Column], caption: str, csv_name: str) -> None:
        """The table in French formats, and the same rows as a CSV file to download, with the
        provenance of its figures where they mix, its source and its notice."""
        folded = provenance.summary(data[[c.name for c in columns] + [
            provenance.PREFIX + c.name for c in columns if provenance.PREFIX + c.name in data]],
            {c.name: c.header for c in columns})
        if folded is not None:
            data = data.assign(provenance_texte=folded)
            columns = [*columns, Column("provenance_texte", "Provenance")]
        head = "".join(f'<th scope="col">{html.escape(c.header)}</th>' for c in columns)
        rows = []
        for record in data.to_dict("records"):
            cells = "".join(
                f'<td{" class=num" if c.numeric else ""}>'
                f"{html.escape(_cell(record[c.name], c.text, c.missing))}</td>"
                for c in columns
            )
            rows.append(f"<tr>{cells}</tr>")
        self.add(
            f'<div class="table" tabindex="0" role="region" aria-label="{html.escape(caption)}">'
            f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>"
        )
        frame = data[[c.name for c in columns]].rename(columns={c.name: c.header for c in columns})
        # The dashboard's own « CSV virgule décimale » download: semicolon, decimal comma, a BOM
        # so Excel reads UTF-8, imported text a spreadsheet would run as a formula neutralised,
        # and the source and notice lines first.
        (self.folder / csv_name).write_bytes(
            export_tables.to_csv(frame, decimal_comma=True, lines=download_lines(frame)))
        self.add(
            f'<p class="download"><a href="{csv_name}" download>Télécharger ce tableau '
            f"({len(frame)} lignes, CSV : séparateur point-virgule, UTF-8 ; les premières "
            "lignes donnent la source)</a></p>"
        )

    def write(self, navigation: list[tuple[str, str]], notice: str | None, generated: str,
              years: str) -> None:
        links = "".join(
            f'<a href="{file}"{" aria-current=page" if file == self.file else ""}>'
            f"{html.escape(title)}</a>"
            for file, title in navigation
        )
        notice_html = (
            f'<div class="notice"><strong>{html.escape(provenance.NOTICE)}.</strong>'
            f"{html.escape(notice.removeprefix(provenance.NOTICE + '.'))} "
            '<a href="sources.html">Voir la méthode et les sources</a>.</div>'
            if notice else ""
        )
        document = f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(self.title)} · Observatoire ESS de la MEL</title>
<link rel="stylesheet" href="{STYLESHEET}">
<script src="{PLOTLY_JS}"></script>
</head>
<body>
<header><nav aria-label="Pages">
<span class="site">Observatoire ESS · MEL</span>{links}
</nav></header>
<main>
<h1>{html.escape(self.title)}</h1>
{notice_html}
{''.join(self.parts)}
</main>
<footer>Appel à projets « Entreprendre autrement » de la Métropole Européenne de Lille,
{html.escape(years)} : tous les projets, sans filtre. Version statique du tableau de bord, générée le
{generated}. Chaque chiffre publié porte son document source (page « Chiffres clés et
sources »).<br>Données réutilisables sous Licence Ouverte 2.0 (Etalab). Pour citer cette page : Observatoire ESS de la MEL, « {html.escape(self.title)} »,
version du {generated}.<br>{ACCESSIBILITY}.</footer>
</body>
</html>
"""
        (self.folder / self.file).write_text(document, encoding="utf-8")


def _kpis(cards: list[kpis.Kpi]) -> str:
    return '<div class="kpis">' + "".join(
        f'<div class="kpi"><div class="label">{html.escape(card.label)}</div>'
        f'<div class="value">{html.escape(card.value)}</div>'
        + (f'<div class="mark">{html.escape(card.mark)}</div>' if card.mark else "")
        + f'<div class="detail">{html.escape(card.context)}</div></div>'
        for card in cards
    ) + "</div>"


def _geojson(name: str) -> dict:
    return json.loads((GEO_DIR / f"{name}.geojson").read_text(encoding="utf-8"))


def territory_map(par_territoire: pd.DataFrame) -> go.Figure:
    """Projects per territory on the map, with the communes' borders."""
    return maps.territory_choropleth(par_territoire, _geojson("territoires"), _geojson("communes"),
                                     "nb_projets", "Projets financés", "")


PER_YEAR = [
    Column("annee", "Année", str), Column("nb_projets", "Projets", _integer, True),
    Column("subvention", "Subventions", fmt.euros, True),
    Column("emplois_prevus", "Emplois prévus", fmt.etp, True),
    Column("emplois_realises", "Emplois réalisés", fmt.etp, True, UNKNOWN),
]
PER_CATEGORY = [
    Column("nb_projets", "Projets", _integer, True), Column("part_pct", "Part", fmt.pct, True),
    Column("subvention", "Subventions", fmt.euros, True),
    Column("emplois_prevus", "Emplois prévus", fmt.etp, True),
    Column("emplois_realises", "Emplois réalisés", fmt.etp, True, UNKNOWN),
]


def _overview(page: Page, run) -> None:
    par_annee = run("projets_par_annee")
    par_periode = run("projets_par_periode")
    page.text(f"Appel à projets « Entreprendre autrement » de la MEL, {_years(run)} : projets "
              "financés, subventions et emplois créés ou consolidés, par période de règles de "
              "l'appel et par année.")
    page.add(_kpis(kpis.chiffres_cles(run("projets_kpi"), par_annee, par_periode)))
    if (par_periode["nb_projets"] > 0).sum() > 1:
        page.chart(plan_charts.periodes(par_periode), "periodes")
        page.table(par_periode, [
            Column("nom", "Période"), Column("plan", "Plan en vigueur"),
            Column("plafond_eur", "Plafond par projet", fmt.euros, True),
            Column("nb_projets", "Projets", _integer, True),
            Column("subvention", "Subventions", fmt.euros, True),
            Column("emplois_prevus", "Emplois prévus", fmt.etp, True),
            Column("emplois_realises", "Emplois réalisés", fmt.etp, True, UNKNOWN),
            Column("nb_realises_inconnus", "Projets aux emplois réalisés non connus", _integer,
                   True),
            Column("part_associations_pct", "Part d'associations", fmt.pct, True),
        ], "Projets, subventions et emplois par période de l'appel", "projets_par_periode.csv")
    page.add('<div class="charts"><div>')
    page.chart(charts.projets_par_annee(par_annee), "annees")
    page.add("</div><div>")
    page.chart(charts.jobs_forecast_vs_realised(par_annee), "emplois")
    page.add("</div></div>")
    page.table(par_annee, PER_YEAR, "Projets, subventions et emplois par année",
               "projets_par_annee.csv")


def _years(run) -> str:
    return filters.annees(filters.known_values(run("filtres_valeurs")))


def _territories(page: Page, run) -> None:
    par_territoire = run("projets_par_territoire")
    page.text("Nombre de projets financés par territoire de la métropole ; survolez la carte "
              "pour le détail. Les limites fines sont celles des communes.")
    page.chart(territory_map(par_territoire), "carte")
    estimates = [n for n, e in zip(par_territoire["nom"],
                                   provenance.estimated(par_territoire, "nb_projets")) if e]
    if estimates:
        page.text(f"{provenance.MARK} : {', '.join(estimates)} (nombre de projets non publié).")
    page.table(
        par_territoire,
        [Column("nom", "Territoire"), *PER_CATEGORY,
         Column("population", "Population", _integer, True)],
        "Projets, subventions et emplois par territoire", "projets_par_territoire.csv",
    )


def _projects(page: Page, run) -> None:
    liste = run("projets_liste")
    page.text(f"Les {fmt.nombre(len(liste))} projets financés, avec leur commune, leur forme "
              "juridique, leur activité, leur subvention et leurs emplois.")
    page.table(
        liste,
        # The figures next to the project's name: on a phone they show without scrolling.
        [Column("libelle", "Projet"), Column("subvention_eur", "Subvention", fmt.euros, True),
         Column("emplois_prevus_etp", "Emplois prévus", fmt.etp, True),
         Column("emplois_realises_etp", "Emplois réalisés", fmt.etp, True, UNKNOWN),
         Column("annee", "Année", str), Column("id", "Identifiant"), Column("commune", "Commune"),
         Column("territoire", "Territoire"), Column("forme_juridique", "Forme juridique"),
         Column("activite", "Activité"), Column("axe", "Axe", str),
         Column("provenance", "Provenance"), Column("source", "Source")],
        f"Projets financés {_years(run)}", "projets.csv",
    )
    laureats = run("laureats_publics")
    if len(laureats):
        page.text(f"Les sources publiques nomment {fmt.compte(len(laureats), 'projet')} de "
                  "l'appel. Seul ce qu'elles en disent est donné ici : leur subvention, leurs "
                  "emplois et leur année ne sont pas publiés, et leur ligne du tableau ci-dessus "
                  "porte un libellé neutre.")
        page.table(laureats, [Column("nom", "Projet"), Column("source", "Ce que dit la source")],
                   "Lauréats cités par des sources publiques", "laureats.csv")


def _jobs(page: Page, run) -> None:
    page.text("Emplois créés ou consolidés, en équivalents temps plein (ETP) : prévus au "
              "dépôt du projet et réalisés.")
    par_annee = run("projets_par_annee")
    par_territoire = run("projets_par_territoire")
    page.add('<div class="charts"><div>')
    page.chart(charts.jobs_forecast_vs_realised(par_annee), "emplois-annee")
    page.add("</div><div>")
    page.chart(charts.jobs_forecast_vs_realised(par_territoire, by="territoire", label="nom"),
               "emplois-territoire")
    page.add("</div></div>")
    page.table(par_annee, PER_YEAR, "Emplois par année", "emplois_par_annee.csv")
    page.table(par_territoire, [Column("nom", "Territoire"), *PER_CATEGORY],
               "Emplois par territoire", "emplois_par_territoire.csv")


def _activities(page: Page, run) -> None:
    par_activite = run("projets_par_activite")
    par_forme = run("projets_par_forme")
    # Full width: the activity labels are long.
    page.chart(charts.activites(par_activite), "activites")
    page.chart(charts.formes_juridiques(par_forme), "formes")
    page.table(par_activite,
               [Column("libelle", "Type d'activité"), *PER_CATEGORY[:2],
                Column("nb_publie", "Chiffre publié", _integer, True), *PER_CATEGORY[2:]],
               "Projets par type d'activité", "projets_par_activite.csv")
    page.table(par_forme, [Column("libelle", "Forme juridique"), *PER_CATEGORY],
               "Projets par forme juridique", "projets_par_forme.csv")


def _plan(page: Page, run) -> None:
    page.text("Les plans de développement de l'économie sociale et solidaire de la MEL et de la "
              "Ville de Lille, ce qu'a produit chaque axe du PMDESS 2015-2020, et les budgets "
              "publiés avec leurs financeurs.")
    plans = run("plans_chronologie")
    page.chart(plan_charts.chronologie_plans(plans), "plans")
    page.table(
        plans,
        [Column("nom", "Plan ou délibération"), Column("debut", "Début", _year),
         Column("fin", "Fin", _year), Column("budget_eur", "Budget publié", fmt.euros, True),
         Column("porteur", "Porteur"), Column("source_doc", "Document"),
         Column("source_lieu", "Emplacement")],
        "Les plans de 2002 à 2026", "plans.csv",
    )
    axes = run("axes_realisations")
    page.chart(plan_charts.realisations_par_axe(axes), "axes")
    page.table(
        axes,
        [Column("nom", "Axe du PMDESS 2015-2020"), Column("nb_projets", "Projets", _integer, True),
         Column("subvention", "Subventions", fmt.euros, True),
         Column("emplois_prevus", "Emplois prévus", fmt.etp, True),
         Column("emplois_realises", "Emplois réalisés", fmt.etp, True),
         Column("nb_actions", "Actions et dispositifs", _integer, True)],
        "Ce qu'a produit chaque axe du PMDESS 2015-2020", "axes.csv",
    )
    actions = run("actions_2011_2014_par_financeur")
    for annexe2, key in ((False, "actions-2011"), (True, "actions-2013")):
        rows = actions[actions["annexe2"] == annexe2]
        if len(rows):
            page.chart(plan_charts.actions_par_financeur(rows), key)
    page.table(
        actions,
        [Column("nom", "Action"), Column("mel", "MEL", fmt.euros, True),
         Column("ville_lille", "Ville de Lille", fmt.euros, True),
         Column("budget_eur", "Budget", fmt.euros, True), Column("groupe", "Tableau ou axe"),
         Column("operateur", "Opérateur"), Column("source", "Source")],
        "Le plan d'actions 2011-2014 et ses financeurs", "actions_2011_2014.csv",
    )
    apes = run("apes_plan_financement_2021")
    page.chart(plan_charts.apes_financeurs(apes), "apes")
    page.table(
        apes,
        [Column("financeur", "Financeur"), Column("montant", "Montant", fmt.euros, True),
         Column("part_pct", "Part du budget", lambda v: fmt.pct(v, 1), True),
         Column("nature", "Nature"), Column("source", "Source")],
        "Le plan de financement 2021 de l'APES", "apes_2021.csv",
    )
    lille = run("lille_strategie_axes")
    page.chart(plan_charts.lille_priorites(lille), "lille")
    page.table(
        lille,
        [Column("nom", "Axe de la stratégie de Lille"),
         Column("nb_priorites", "Priorités", _integer, True), Column("source", "Source")],
        "La stratégie ESS 2021-2026 de la Ville de Lille", "lille_2021_2026.csv",
    )


def _year(value) -> str:
    return str(int(value))


def _sources(page: Page, run) -> None:
    page.text("Chaque chiffre publié par les documents sources, avec son emplacement. Les "
              "résultats par projet ne sont pas publics : tant que les projets sont "
              "reconstitués, ce qui n'est ni publié ni déduit des chiffres publiés est une "
              "estimation, hachurée sur les graphiques ; aucun projet reconstitué ne porte de "
              "nom réel.")
    page.table(
        run("indicateurs"),
        [Column("libelle", "Chiffre"), Column("valeur", "Valeur", _decimal, True),
         Column("unite", "Unité"), Column("periode", "Période"),
         Column("perimetre", "Périmètre"), Column("source_doc", "Document"),
         Column("source_lieu", "Emplacement"), Column("note", "Remarque")],
        "Chiffres publiés", "chiffres_publies.csv",
    )
    page.table(
        run("controles_sources"),
        [Column("libelle", "Contrôle"), Column("publie", "Publié", _decimal, True),
         Column("calcule", "Recalculé", _decimal, True), Column("source", "Source")],
        "Contrôles des sommes imprimées par les documents", "controles_sources.csv",
    )


PAGES = [
    ("index.html", "Vue d'ensemble", _overview),
    ("territoires.html", "Territoires", _territories),
    ("projets.html", "Projets", _projects),
    ("emplois.html", "Emplois", _jobs),
    ("activites.html", "Activités et formes juridiques", _activities),
    ("plan_budgets.html", "Plan et budgets", _plan),
    ("sources.html", "Chiffres clés et sources", _sources),
]


def export(folder: Path, store: Path = STORE_FILE) -> Path:
    """Write the static site into `folder` (created if needed); returns its index page."""
    folder.mkdir(parents=True, exist_ok=True)
    con = open_store(store)
    try:
        def run(name: str) -> pd.DataFrame:
            return queries.run(con, name)

        notice = (provenance.notice(run("projets_par_territoire"))
                  if run("projets_kpi").loc[0, "nb_reconstitues"] else None)
        generated = datetime.date.today().strftime("%d/%m/%Y")
        navigation = [(file, title) for file, title, _ in PAGES]
        for file, title, build in PAGES:
            page = Page(folder, file, title)
            build(page, run)
            page.write(navigation, notice, generated, _years(run))
    finally:
        con.close()
    (folder / PLOTLY_JS).write_text(plotly.offline.get_plotlyjs(), encoding="utf-8")
    (folder / STYLESHEET).write_text(CSS, encoding="utf-8")
    return folder / "index.html"
