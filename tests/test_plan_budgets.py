"""« Plan et budgets »: its questions, its chart builders and the page as Streamlit runs it."""

import pandas as pd
import pytest

from ess import charts, plan_charts, queries, tables
from ess.filters import Filtres
from ess.theme import EMPTY, FINANCEURS, MUTED

NB = "\u00a0"
PAGE = "pages/plan_budgets.py"


def euros(text: str) -> str:
    return text.replace(" ", NB)


# --- queries ---------------------------------------------------------------------------------

def test_plans_timeline_from_2002_to_2026(con):
    plans = queries.run(con, "plans_chronologie")
    assert len(plans) == 9  # with the MEL roadmap 2022-2026
    assert (plans["debut"].min(), plans["fin"].max()) == (2002, 2026)
    assert set(plans["porteur"]) == {"MEL", "Ville de Lille"}
    deliberations = plans[plans["type"] == "délibération"]
    assert (deliberations["debut"] == deliberations["fin"]).all()  # a one-year event
    assert plans.set_index("code").loc["lille-2021-2026", "budget_eur"] == 700_000


def test_axes_output_follows_the_filters(con):
    axes = queries.run(con, "axes_realisations")
    assert list(axes["axe"]) == [1, 2, 3, 4, 5]
    assert axes["nb_projets"].sum() == 62
    assert axes["subvention"].sum() == 768_200
    assert axes["emplois_realises"].sum() == 483
    assert axes["nb_actions"].sum() == 32  # every action carries an axis
    assert queries.run(con, "axes_realisations", Filtres(annees=(2017,)))["nb_projets"].sum() == 17
    only_3 = queries.run(con, "axes_realisations", Filtres(axes=("pmdess-2015-2020/3",)))
    assert list(only_3["axe"]) == [3]
    assert only_3.loc[0, "nb_projets"] == axes.set_index("axe").loc[3, "nb_projets"]


def test_axis_actions_from_2011_to_2021(con):
    actions = queries.run(con, "axes_actions")
    assert len(actions) == 32
    axis_2 = actions[actions["axe"] == 2]
    assert len(axis_2) == 14
    assert axis_2["plan"].iloc[0] == "Plan d'actions ESS 2011-2014"
    assert axis_2["plan"].iloc[-1] == "Hors plan"  # the 2021 APES grant closes the list
    assert list(actions.loc[actions["axe"] == 5, "id"]) == ["fabrique-emploi"]
    # The sidebar axis filter applies to actions too.
    assert set(queries.run(con, "axes_actions", Filtres(axes=("pmdess-2015-2020/1", "pmdess-2015-2020/3")))["axe"]) == {1, 3}


def test_annexe2_actions_by_funder(con):
    actions = queries.run(con, "actions_2011_2014_par_financeur")
    annexe2 = actions[actions["annexe2"]]
    assert len(annexe2) == 12
    assert annexe2["mel"].sum() == 59_827
    assert annexe2["ville_lille"].sum() == 80_718
    first_table = actions[~actions["annexe2"]]
    assert len(first_table) == 5
    assert first_table["ville_lille"].sum() == 0
    assert first_table["mel"].sum() == 182_000
    assert "projet territorial" not in set(actions["groupe"])


def test_axis_filter_on_2011_2014_actions(con):
    promotion = queries.run(con, "actions_2011_2014_par_financeur", Filtres(axes=("pmdess-2015-2020/4",)))
    assert len(promotion) == 3
    assert set(promotion["groupe"]) == {"Promotion et communication"}
    assert promotion["mel"].sum() + promotion["ville_lille"].sum() == 23_000


def test_annexe2_printed_total_is_not_the_sum_of_its_rows(con):
    totals = queries.run(con, "annexe2_total_imprime").set_index("colonne")
    assert tuple(totals.loc["TOTAL", ["imprime", "somme_lignes"]]) == (169_891, 140_545)
    assert tuple(totals.loc["Lille Métropole", ["imprime", "somme_lignes"]]) == (73_000, 59_827)
    assert tuple(totals.loc["Ville de Lille", ["imprime", "somme_lignes"]]) == (96_891, 80_718)


def test_territorial_projects(con):
    projects = queries.run(con, "projets_territoriaux_2012_2013")
    assert len(projects) == 4
    assert projects["montant"].sum() == 171_663
    assert projects["enveloppe"].iloc[0] == 110_000
    assert queries.run(con, "projets_territoriaux_2012_2013", Filtres(axes=("pmdess-2015-2020/1",))).empty


def test_apes_funding_plan(con):
    plan = queries.run(con, "apes_plan_financement_2021")
    assert plan["montant"].sum() == 753_091
    assert plan.iloc[-1]["nature"] == "non attribué"  # shown last, apart from the funders
    assert plan.iloc[-1]["montant"] == 128_766
    mel = plan.set_index("financeur").loc["MEL"]
    assert (mel["montant"], round(mel["part_pct"], 1)) == (35_000, 4.6)


def test_lille_strategy(con):
    lille = queries.run(con, "lille_strategie_axes")
    assert list(lille["nb_priorites"]) == [8, 4, 4, 4]
    assert list(lille["premiere_priorite"]) == [1, 9, 13, 17]
    assert lille["derniere_priorite"].iloc[-1] == 20
    assert lille["budget_plan"].iloc[0] == 700_000


# --- chart builders --------------------------------------------------------------------------

def _source_line(fig):
    return fig.layout.annotations[0].text.replace("<br>", " ")


def _labels(fig):
    return [a.text for a in fig.layout.annotations[1:]]


def test_timeline_chart(con):
    fig = plan_charts.chronologie_plans(queries.run(con, "plans_chronologie"))
    title = fig.layout.title.text.replace("<br>", " ")
    assert title.startswith("9 plans et délibérations de 2002 à 2026")
    assert "la MEL s'achève en 2026" in title and "Ville de Lille en 2026" in title
    colors = {t.name: t.marker.color for t in fig.data}
    assert colors["Plan · MEL"] == FINANCEURS["MEL"]
    assert colors["Plan · Ville de Lille"] == FINANCEURS["Ville de Lille"]
    assert colors["Délibération · MEL"] == FINANCEURS["MEL"]
    assert "MEL · PMDESS 2015-2020" in _labels(fig)
    assert "Ville de Lille · Trois premiers plans ESS · 2002-2015" in _labels(fig)
    assert "(000)" in _source_line(fig) and "(001)" in _source_line(fig)
    assert "feuille de route ESS 2022-2026" in _source_line(fig)


def test_axes_chart(con):
    fig = plan_charts.realisations_par_axe(queries.run(con, "axes_realisations"))
    # No source gives a project's axis: a neutral title, hatched bars.
    assert fig.layout.title.text.replace("<br>", " ") == (
        "Projets financés et subventions par axe du PMDESS 2015-2020")
    assert list(fig.data[0].x) == [31, 10, 7, 12, 2]
    assert set(fig.data[0].marker.pattern.shape) == {"/"}
    assert fig.data[0].text[0] == f"31 projets · 387{NB}600{NB}€"
    assert _labels(fig)[1] == "Axe 2 · L'animation territoriale"
    empty = queries.run(con, "axes_realisations", Filtres(territoires=("weppes",)))
    assert plan_charts.realisations_par_axe(empty).layout.title.text == (
        "Aucun projet financé pour ces filtres")


def test_actions_charts(con):
    actions = queries.run(con, "actions_2011_2014_par_financeur")
    annexe2 = plan_charts.actions_par_financeur(actions[actions["annexe2"]])
    assert annexe2.layout.barmode == "stack"
    assert {t.name for t in annexe2.data if t.type == "bar"} == {"MEL", "Ville de Lille"}
    assert annexe2.layout.title.text.replace("<br>", " ") == (
        f"Actions déléguées de 2013{NB}: la Ville de Lille apporte 80{NB}718{NB}€ sur "
        f"140{NB}545{NB}€ (57{NB}%), la MEL le reste")
    assert "<b>Promotion et communication</b>" in _labels(annexe2)  # one heading per axis
    first = plan_charts.actions_par_financeur(actions[~actions["annexe2"]])
    assert [t.name for t in first.data if t.type == "bar"] == ["MEL"]
    assert "non chiffré" in first.data[-1].text  # the working group's « moyens humains »


def test_apes_chart_shows_the_unattributed_part_apart(con):
    fig = plan_charts.apes_financeurs(queries.run(con, "apes_plan_financement_2021"))
    assert fig.layout.title.text.replace("<br>", " ") == (
        f"La MEL apporte 35{NB}000{NB}€ des 753{NB}091{NB}€ du budget 2021 de l'APES (4,6{NB}%)")
    bar = fig.data[0]
    assert bar.marker.color[-1] == EMPTY and bar.marker.pattern.shape[-1] == "/"
    assert bar.marker.line.color[-1] == MUTED
    assert all(shape == "" for shape in bar.marker.pattern.shape[:-1])
    assert bar.text[-1] == f"128{NB}766{NB}€ · 17,1{NB}%"
    assert _labels(fig)[-1] == "Non attribué par la source"
    assert _labels(fig)[0] == "État (sollicité)"


def test_lille_chart(con):
    fig = plan_charts.lille_priorites(queries.run(con, "lille_strategie_axes"))
    assert fig.layout.title.text.replace("<br>", " ") == (
        f"20 priorités en 4 axes, 700{NB}000{NB}€ estimés pour 2021-2026")
    assert fig.data[0].text[0] == "8 priorités (n° 1 à 8)"


def test_titles_and_sources_fit_a_phone(con):
    fig = plan_charts.chronologie_plans(queries.run(con, "plans_chronologie"))
    for text in (fig.layout.title.text, fig.layout.annotations[0].text):
        assert max(len(line) for line in text.split("<br>")) <= charts.SOURCE_WIDTH


def test_display_helpers():
    frame = pd.DataFrame({"a": [768_200.0, None], "b": ["x", "y"]})
    table = tables.lisible(frame, {"a": ("Montant", lambda v: f"{v:.0f} €"), "b": ("Nom", None)})
    assert list(table.columns) == ["Montant", "Nom"]
    assert list(table["Montant"]) == ["768200 €", "–"]
    assert tables.texte("coût : 5 $ *gras* [lien]") == r"coût : 5 \$ \*gras\* \[lien\]"
    assert tables.periode(2013, 2013) == "2013"
    assert tables.periode(2015, 2018) == "2015-2018"
    assert tables.periode(2018, None) == "depuis 2018"
    assert tables.periode(None, None) == "période non publiée"


# --- the page --------------------------------------------------------------------------------

def _metrics(at):
    return {m.label: m.value for m in at.metric}


def _text(at):
    return " ".join(m.value for m in at.markdown)


@pytest.fixture
def plan_page(app):
    app.run()
    return app.switch_page(PAGE)


def test_page_shows_the_published_budgets(plan_page):
    plan_page.run()
    assert not plan_page.exception
    metrics = _metrics(plan_page)
    assert metrics["Montant global accordé"] == euros("171 663 €")
    assert metrics["Enveloppe publiée de l'appel"] == euros("110 000 €")
    assert metrics["Priorités"] == "20"
    assert metrics["Moyens financiers estimés"] == euros("700 000 €")
    assert metrics["TOTAL imprimé par le document"] == euros("169 891 €")
    assert metrics["Somme des 12 lignes imprimées"] == euros("140 545 €")
    assert metrics["Projets financés"] == "31"  # axis 1, shown first
    text = _text(plan_page)
    assert f"les {euros('128 766 €')} restants" in text
    assert f"4,6{NB}%" in text
    assert len(plan_page.get("plotly_chart")) == 7
    # The roadmap 2022-2026: the public axe 1 and actions 1-4, the rest « non publié ».
    assert "**Action 2** · Refonder l'appel à projets" in text
    assert ("**Actions 5 à 15** : intitulé, axe et statut non publiés dans les sources "
            "consultées.") in text


def test_axis_control_shows_one_axis(plan_page):
    plan_page.run()
    plan_page.segmented_control(key="axe_detail").set_value("5").run()
    assert not plan_page.exception
    assert plan_page.subheader[0].value == "Axe 5 : L'emploi et les ressources humaines"
    assert _metrics(plan_page)["Actions et dispositifs"] == "1"
    assert "**La Fabrique de l'emploi**" in _text(plan_page)


def test_axis_filter_applies_to_actions(app):
    app.query_params["axes"] = "pmdess-2015-2020/3"
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception
    assert _metrics(app)["Projets financés"] == "7"
    assert app.subheader[0].value.startswith("Axe 3 : ")
    infos = " ".join(i.value for i in app.info)
    assert "projets territoriaux relèvent de l'axe 2" in infos
    assert "APES relève de l'axe 2" in infos
    # Timeline, axes, roadmap, the Annexe 2 research actions, Lille: no first table (axis 2),
    # no APES.
    assert len(app.get("plotly_chart")) == 5
    # The Lille strategy and the Annexe 2 note do not depend on the MEL's axes.
    assert _metrics(app)["Priorités"] == "20"
    assert _metrics(app)["TOTAL imprimé par le document"] == euros("169 891 €")


def test_every_chart_has_its_data_table(plan_page):
    plan_page.run()
    keys = ["plans", "axes", "feuille_de_route", "actions_2011", "actions_2013", "apes", "lille"]
    for key in keys:
        plan_page.toggle(key=f"donnees_{key}").set_value(True)
    plan_page.run()
    assert not plan_page.exception
    shown = [d.value for d in plan_page.dataframe]
    assert len(shown) == len(keys)
    apes = next(t for t in shown if "Financeur" in t.columns)
    assert apes.iloc[-1]["Montant"] == euros("128 766 €")
    assert apes.iloc[-1]["Nature"] == "non attribué"
