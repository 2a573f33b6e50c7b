"""Every edition of the call, 2011-2026: a generated store of 224 projects (`bench.editions`,
built by `ess.store.build`) through every page, the deck, the static site and the SCDL export.
Nothing may say « 2015-2018 » unless it is about that period's published figures."""

import io
import re

import plotly.io as pio
import pytest
from pptx import Presentation

from bench.editions import editions_store
from ess import fmt, queries, site
from ess.exports import deck, scdl
from ess.filters import Filtres
from ess.reconcile import reconcile
from ess.store import open_store

NB = "\u00a0"
PUBLIC_PAGES = ["pages/vue_ensemble.py", "pages/territoires.py", "pages/projets.py",
                "pages/emplois.py", "pages/activites.py", "pages/plan_budgets.py",
                "pages/sources.py"]
ROADMAP_AXIS = "mel-feuille-de-route-2022-2026/1"


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    return editions_store(tmp_path_factory.mktemp("editions"))


@pytest.fixture(scope="module")
def econ(editions):
    connection = open_store(editions)
    yield connection
    connection.close()


@pytest.fixture
def editions_app(app, editions, monkeypatch):
    monkeypatch.setattr("ess.ui.data.STORE_FILE", editions)
    monkeypatch.setattr("ess.paths.STORE_FILE", editions)
    return app


def page_texts(at) -> str:
    """Every text a reader sees on the page, charts' titles and subtitles included."""
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info",
                                  "warning") for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    for chart in at.get("plotly_chart"):
        layout = pio.from_json(chart.proto.spec).layout
        parts += [layout.title.text or "", layout.title.subtitle.text or ""]
        parts += [a.text or "" for a in layout.annotations]
    return "\n".join(parts)


def leftovers(text: str) -> list[str]:
    """« 2015-2018 » where it is not about that period. Allowed: the years of a published action
    (« 2015-2018 · 768 200 € · MEL ») or of a published figure (« document 003 · 2015-2018 »)."""
    return [text[max(0, m.start() - 60):m.end() + 20] for m in re.finditer("2015-2018", text)
            if not (text.startswith(" · ", m.end()) or text.endswith(" · ", 0, m.start()))]


def test_the_store_holds_sixteen_years(econ):
    years = queries.run(econ, "projets_par_annee")
    assert list(years["annee"]) == list(range(2011, 2027))
    assert set(years["nb_projets"]) == {14}
    kpi = queries.run(econ, "projets_kpi").iloc[0]
    assert (kpi["nb_projets"], kpi["subvention_max"]) == (224, 30_000)
    assert kpi["nb_realises_inconnus"] == 21  # half of 2025 and all of 2026
    # Not known is left out, never counted as 0: realised jobs of 2026 are NULL, not 0.
    assert years.set_index("annee").loc[2026, "emplois_realises"] != 0
    assert years.set_index("annee")["emplois_realises"].isna().sum() == 1


def test_projects_belong_to_the_plan_of_their_year(econ):
    periods = queries.run(econ, "projets_par_periode").set_index("periode")
    assert periods["nb_projets"].to_dict() == {
        "2011-2014": 56, "2015-2020": 84, "2021": 14, "2022-2023": 28, "2024": 42}
    assert periods.loc["2024", "plafond_eur"] == 30_000
    assert periods.loc["2024", "nb_realises_inconnus"] == 21
    roadmap = queries.run(econ, "projets_kpi", Filtres(axes=(ROADMAP_AXIS,))).iloc[0]
    assert roadmap["nb_projets"] == 70  # every project of 2022-2026 serves its axe 1
    pmdess = queries.run(econ, "projets_kpi", Filtres(axes=("pmdess-2015-2020/1",))).iloc[0]
    older = queries.run(econ, "projets_kpi", Filtres(axes=("pmdess-2011-2014/1",))).iloc[0]
    by_axis = queries.run(econ, "projets_par_axe").set_index("axe_plan")["nb_projets"]
    assert (pmdess["nb_projets"], older["nb_projets"]) == (
        by_axis["pmdess-2015-2020/1"], by_axis["pmdess-2011-2014/1"])
    assert by_axis.sum() == 224 - 14  # 2021, between two plans, has no axis


def test_filters_offer_the_years_present_and_the_axes_of_each_plan(editions_app):
    editions_app.run()
    assert not editions_app.exception
    years = editions_app.multiselect(key="filtre_annees").options
    # Each year with its count of projects under the other filters: « 2011 (14) ».
    assert [y.split(" (")[0] for y in years] == [str(y) for y in range(2011, 2027)]
    axes = editions_app.multiselect(key="filtre_axes").options
    assert len(axes) == 3 + 5 + 1
    assert axes[-1].startswith("Feuille de route ESS 2022-2026 · 1. Conforter")
    assert any("Aucun filtre : tous les projets 2011-2026." in c.value
               for c in editions_app.caption)


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_every_page_shows_2011_2026_without_leftover(editions_app, page):
    editions_app.run()
    editions_app.switch_page(page).run()
    assert not editions_app.exception, editions_app.exception
    text = page_texts(editions_app)
    assert not leftovers(text)
    if page != "pages/sources.py":
        assert "2011-2026" in text


def test_overview_compares_the_periods(editions_app, econ):
    editions_app.run()
    metrics = {m.label: m.value for m in editions_app.metric}
    assert metrics["Projets financés"] == "224"
    assert metrics["Subventions accordées"] == f"2{NB}446{NB}500{NB}€"
    captions = " ".join(c.value for c in editions_app.caption)
    assert f"non connus pour 21{NB}projets" in captions
    assert "Soutenus de 2011 à 2026" in captions
    helps = [m.help for m in editions_app.metric]
    assert any(f"20{NB}000{NB}€ (2015-2023), 30{NB}000{NB}€ (depuis 2024)" in (h or "")
               for h in helps)
    charts = [pio.from_json(c.proto.spec) for c in editions_app.get("plotly_chart")]
    periods = charts[0]
    assert len(periods.data[0].y) == 5
    expected = queries.run(econ, "projets_par_periode")
    assert [t.split("<br>")[0].split(" · ") for t in periods.data[0].text] == [
        [fmt.compte(n, "projet"), fmt.euros(s)]
        for n, s in zip(expected["nb_projets"], expected["subvention"])]
    assert periods.layout.title.text.replace("<br>", " ") == (
        f"842{NB}100{NB}€ accordés en 2015-2020, la plus dotée des 5 périodes de l'appel")
    years = charts[1]
    assert len(years.data[0].x) == 16


def test_jobs_ratios_leave_unknown_results_out(editions_app):
    editions_app.run()
    editions_app.switch_page("pages/emplois.py").run()
    assert not editions_app.exception
    captions = " ".join(c.value for c in editions_app.caption)
    assert f"sur les 203{NB}projets dont le résultat est connu" in captions
    assert f"non connus pour 21{NB}projets" in captions


def test_roadmap_on_plan_et_budgets(editions_app):
    editions_app.run()
    editions_app.switch_page("pages/plan_budgets.py").run()
    assert not editions_app.exception
    headers = [h.value for h in editions_app.header]
    assert ("La feuille de route ESS 2022-2026 : actions, statuts et indicateurs" in headers)
    markdown = " ".join(m.value for m in editions_app.markdown)
    assert "**Actions 5 à 15** : intitulé, axe et statut non publiés" in markdown
    assert "Refonder l'appel à projets" in markdown
    metrics = [(m.label, m.value) for m in editions_app.metric]
    first = [label for label, _ in metrics].index("Actions")
    assert metrics[first:first + 3] == [("Actions", "15"), ("Axes", "3"),
                                        ("Statut connu", "0 / 15")]


def test_deck_and_site_say_2011_2026(econ, editions, tmp_path):
    prs = Presentation(io.BytesIO(deck.build(econ)))
    texts = "\n".join(shape.text_frame.text for slide in prs.slides for shape in slide.shapes
                      if shape.has_text_frame)
    assert "les résultats 2011-2026" in texts
    assert not leftovers(texts)
    site.export(tmp_path / "site", editions)
    for page in ("index.html", "territoires.html", "projets.html", "emplois.html",
                 "activites.html"):
        html = (tmp_path / "site" / page).read_text(encoding="utf-8")
        assert "2015-2018" not in html, page
        assert "2011-2026" in html, page
    assert "non connu" in (tmp_path / "site" / "projets.html").read_text(encoding="utf-8")


def test_scdl_export_of_a_complete_store_passes_the_schema(econ):
    frame = scdl.subventions(econ)
    assert len(frame) == 224
    assert scdl.schema_errors(scdl.to_csv(frame)) == []
    verdict = scdl.check(econ)
    assert verdict.publishable, verdict.text()
    assert "conforme au schéma scdl/subventions 2.1.1" in verdict.text()
    above = int((frame["montant"] > 23_000).sum())
    assert above > 0
    assert f"{above}{NB}subventions sur 224 dépassent ce seuil" in verdict.text()
    row = frame[frame["objet"].str.contains("2024, aide au")].iloc[0]
    assert row["nomBeneficiaire"].startswith("Structure 2024-")
    assert re.fullmatch(r"\d{14}", row["idBeneficiaire"])


def test_shipped_store_says_what_is_missing(con):
    verdict = scdl.check(con)
    assert not verdict.publishable
    text = verdict.text()
    assert "ne peut pas encore être publié" in text
    assert "62 montants sur 62 sont reconstitués" in text
    assert "« dateConvention » (date de la convention de subvention) vide sur 62 lignes" in text
    assert "un vrai nom ne figure jamais à côté d'un montant inventé" in text
    errors = scdl.schema_errors(scdl.to_csv(scdl.subventions(con)))
    assert {e["colonne"] for e in errors} == {
        "dateConvention", "nomBeneficiaire", "conditionsVersement", "datesPeriodeVersement",
        "notificationUE"}


def test_a_bad_siret_is_named_with_its_row(econ):
    frame = scdl.subventions(econ)
    frame.loc[3, "idBeneficiaire"] = "1234"
    verdict = scdl.verdict(frame, queries.run(econ, "projets_liste")["provenance"])
    assert not verdict.publishable
    assert any(r.startswith("ligne 5, colonne « idBeneficiaire » : « 1234 » n'est pas conforme")
               for r in verdict.reasons)


def test_published_facts_after_2018_are_reconciled_once_the_store_covers_2011(econ, con):
    shipped = reconcile(con).set_index("id")
    assert "aap-depuis-2011-projets" not in shipped.index  # the store starts in 2015
    assert shipped.loc["fdr-nb-actions", "statut"] == "ok"
    result = reconcile(econ).set_index("id")
    assert result.loc["aap-depuis-2011-projets", "calcule"] == 13 * 14  # 2011-2023
    assert result.loc["aap-depuis-2011-projets", "statut"] == "écart signalé"
    # The 2015-2018 figures are compared with the store's 2015-2018 projects only.
    assert result.loc["aap-nb-projets", "calcule"] == 56
