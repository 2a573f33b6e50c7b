"""« Chiffres clés et sources »: the documents, every published figure, the recomputed
figures, the documents' own errors and where the sources disagree."""

import pytest

from ess import documents, queries
from ess.reconcile import reconcile, source_checks

NB = "\u00a0"
PAGE = "pages/sources.py"


def euros(text: str) -> str:
    return text.replace(" ", NB)


def test_every_document_of_the_figures_has_a_name(con):
    figures = queries.run(con, "indicateurs")
    assert set(figures["source_doc"]) <= set(documents.DOCUMENTS)
    assert documents.document_label("003") == (
        "003 — Diaporama des 2es Assises métropolitaines de l'ESS (2019)")
    assert documents.document_label("presse") == "Presse"


def test_figures_by_document_and_search(con):
    figures = queries.run(con, "indicateurs")
    every = documents.chiffres_lisibles(figures)
    assert len(every) == len(figures) >= 100
    assert list(every.columns) == ["Chiffre", "Valeur", "Période", "Périmètre", "Document",
                                   "Emplacement", "Remarque"]
    press = documents.chiffres_lisibles(figures, "presse")
    assert len(press) == 4
    assert euros("700 000 €") in set(press["Valeur"])
    # Case and accents do not matter, every word must match.
    found = documents.chiffres_lisibles(figures, None, "EMPLOIS realises")
    assert euros("483 ETP") in set(found["Valeur"]) and len(found) <= 3
    assert documents.chiffres_lisibles(figures, "001", "APES").empty


def test_readable_checks(con):
    checks = documents.controles_lisibles(source_checks(con)).set_index("Contrôle")
    total = checks.loc["Actions déléguées 2013 (Annexe 2) : colonne « TOTAL »"]
    assert (total["Imprimé"], total["Recalculé"], total["Écart"], total["Statut"]) == (
        euros("169 891 €"), euros("140 545 €"), euros("-29 346 €"), "écart")
    one_euro = checks.loc["Annexe 2, ligne TOTAL : réalisation Ville de Lille + opérateur "
                          "externe = TOTAL"]
    assert one_euro["Écart"] == euros("-1 €")
    share = checks.loc["APES 2021 : part de la MEL dans le budget prévisionnel (%)"]
    assert (share["Imprimé"], share["Écart"]) == (f"4,6{NB}%", "–")
    recomputed = documents.reconciliation_lisible(reconcile(con)).set_index("Chiffre")
    nord = recomputed.loc["Part des projets soutenus implantés : Couronne Nord (« Nord »)"]
    assert (nord["Publié"], nord["Recalculé"], nord["Statut"]) == (
        f"7{NB}%", f"6,5{NB}%", "écart signalé")


def test_disagreements_between_sources(con):
    items = documents.desaccords(queries.run(con, "indicateurs"),
                                 queries.run(con, "communes_territoire_douteux"))
    text = "\n".join(items)
    assert "62 projets financés" in text and "60 subventions pour 231 candidatures" in text
    assert euros("768 200 €") in text and f"environ {euros('700 000 €')}" in text
    assert "les 12 nombres de la diapositive font 63, pour 62 projets" in text
    assert "(4 et 9) n'ont pas de libellé lisible" in text
    assert "les 12 projets que les libellés publiés ne couvrent pas" in text
    assert f"donne 7{NB}% des projets" in text and f"4 projets = 6,5{NB}%" in text
    assert f"totalisent 97{NB}%" in text
    assert "La Madeleine" in text
    assert "Allennes-les-Marais, Annœullin, Bauvin, Carnin, Provin" in text
    assert "(Couronne Sud)" in text


@pytest.fixture
def sources_page(app):
    app.run()
    return app.switch_page(PAGE)


def test_page_lists_figures_checks_and_disagreements(sources_page):
    sources_page.run()
    assert not sources_page.exception
    figures, recomputed, checks = (d.value for d in sources_page.dataframe)
    assert len(figures) >= 100
    assert "écart signalé" in set(recomputed["Statut"])
    total = checks[checks["Contrôle"] == "Actions déléguées 2013 (Annexe 2) : colonne « TOTAL »"]
    assert list(total.iloc[0][["Imprimé", "Recalculé", "Statut"]]) == [
        euros("169 891 €"), euros("140 545 €"), "écart"]
    text = " ".join(m.value for m in sources_page.markdown)
    assert "60 subventions" in text and "font 63" in text and "La Madeleine" in text
    assert "**004 — Décision du Bureau de la MEL (2021)**" in text
    assert "Ce qui est reconstitué : des estimations" in text  # the method, read from docs/
    assert "la **Couronne Nord**" in text and "la **Lys**" in text  # not exact
    assert "OCR" not in text and "python -m" not in text


def test_page_filters_figures_by_document_and_word(sources_page):
    sources_page.run()
    sources_page.selectbox(key="sources_document").set_value("presse").run()
    assert len(sources_page.dataframe[0].value) == 4
    sources_page.text_input(key="sources_recherche").set_value("candidatures").run()
    assert list(sources_page.dataframe[0].value["Valeur"]) == [f"231{NB}candidatures"]
    sources_page.text_input(key="sources_recherche").set_value("introuvable").run()
    assert not sources_page.exception
    assert any("Aucun chiffre ne correspond" in i.value for i in sources_page.info)
