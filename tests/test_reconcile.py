"""Every published figure, recomputed through the dashboard's own queries; and the sources'
own sums, with the errors of the documents reported rather than hidden."""

from ess import queries
from ess.reconcile import reconcile, source_checks


def test_every_recomputable_figure_is_reproduced(con):
    result = reconcile(con).set_index("id")
    # 25 figures of 2015-2018 and the roadmap's 15 actions; those about 2011 onwards wait for
    # a store that covers 2011 (tests/test_editions.py).
    assert len(result) == 26
    assert result.loc["fdr-nb-actions", "calcule"] == 15
    gaps = result[result["statut"] != "ok"]
    # The slide's 7 % for the Couronne Nord matches no whole number of projects out of 62.
    assert gaps["statut"].to_dict() == {"aap-territoire-couronne-nord": "écart signalé"}
    assert "écart signalé" in gaps.loc["aap-territoire-couronne-nord", "note"]
    assert result.loc["aap-nb-projets", "calcule"] == 62
    assert result.loc["aap-emplois-realises", "calcule"] == 483
    assert result.loc["aap-montant-total", "calcule"] == 768_200
    assert round(result.loc["aap-part-associations", "calcule"]) == 45


def test_every_published_figure_has_its_source(con):
    figures = queries.run(con, "indicateurs")
    assert len(figures) >= 100
    assert figures["source_doc"].str.len().gt(0).all()
    assert figures["source_lieu"].str.len().gt(5).all()
    slide = figures.set_index("id").loc["aap-territoire-lillois"]
    assert (slide["source_doc"], slide["valeur"]) == ("003", 55)
    assert "Implantation des 62 projets" in slide["source_lieu"]


def test_source_documents_own_sums(con):
    checks = source_checks(con).set_index("ordre")
    rows = {o: (r.publie, r.calcule, r.statut) for o, r in checks.iterrows()}
    assert rows[1] == (171_663, 171_663, "ok")  # the four territorial projects
    # Annexe 2 of 002: the printed TOTAL line is not the sum of the printed rows.
    assert rows[2] == (73_000, 59_827, "écart")
    assert rows[3] == (96_891, 80_718, "écart")
    assert rows[4] == (69_300, 61_300, "écart")
    assert rows[5] == (100_590, 79_245, "écart")
    assert rows[6] == (169_891, 140_545, "écart")
    assert rows[7] == (169_891, 169_891, "ok")
    assert rows[8] == (169_891, 169_890, "écart")  # 69 300 + 100 590 is one euro short
    assert rows[9] == (4.6, 4.6, "ok")  # MEL's 35 000 € of APES's 753 091 €
    assert rows[10] == (753_091, 753_091, "ok")


def test_apes_funding_leaves_an_unattributed_part(con):
    rows = con.execute(
        "SELECT financeur, montant_eur, nature FROM financement "
        "WHERE action = '2021-subvention-apes' ORDER BY montant_eur DESC"
    ).fetchall()
    amounts = {f: m for f, m, _ in rows}
    assert sum(amounts.values()) == 753_091
    unattributed = [m for _, m, n in rows if n == "non attribué"]
    assert unattributed == [128_766]
    assert 284_000 in amounts.values() and 240_400 in amounts.values()
    assert 25_575 in amounts.values() and 39_350 in amounts.values()
