"""What the server keeps for every session (docs/PERFORMANCE.md): a chart's figure built once
per view (20 to 100 ms each), a query's result read once per view and never changed by a page,
the store's published figures read once per store version."""

import pandas as pd

from ess import charts
from ess.ui.display import figure


def test_the_same_view_gets_the_same_figure_and_a_new_view_a_new_one(con):
    from ess import queries
    from ess.filters import Filtres

    tous = queries.run(con, "projets_par_annee")
    first = figure(charts.projets_par_annee, tous)
    assert figure(charts.projets_par_annee, tous.copy()) is first  # same content, same figure
    assert first.layout.title.text.replace("\u00a0", " ").startswith("62 projets financés")
    seule = queries.run(con, "projets_par_annee", Filtres(annees=(2017,)))
    other = figure(charts.projets_par_annee, seule)
    assert other is not first
    assert other.layout.title.text.replace("\u00a0", " ").startswith("17 projets financés")
    # Another builder on the same data is another figure.
    assert figure(charts.subventions_par_annee, tous) is not first


def test_arguments_beyond_the_data_are_part_of_the_key():
    calls = []

    def builder(data, label, published=True):
        calls.append((label, published))
        return object()

    data = pd.DataFrame({"x": [[1, 2], [3]], "n": [1, 2]})  # cells pandas cannot hash
    a = figure(builder, data, "Années", published=True)
    assert figure(builder, data.copy(), "Années", published=True) is a
    assert figure(builder, data, "Années", published=False) is not a
    assert figure(builder, data, "Territoires") is not a
    changed = data.assign(n=[1, 3])
    assert figure(builder, changed, "Années", published=True) is not a
    assert calls == [("Années", True), ("Années", False), ("Territoires", True),
                     ("Années", True)]


def test_kept_values_are_bounded_by_their_number_and_their_size():
    from ess.ui.kept import Kept

    kept = Kept(max_entries=3, max_bytes=10, size=len)
    for key in "abcd":
        assert kept.get(key, lambda key=key: key * 3) == key * 3
    assert len(kept) == 3  # « a », the least recently used, is gone
    assert kept.get("b", lambda: "rebuilt") == "bbb"  # still kept, and now the most recent
    kept.get("e", lambda: "eeeee")  # 3 + 3 + 3 + 5 bytes: the two oldest go (c, d)
    assert len(kept) == 2
    assert kept.get("c", lambda: "rebuilt") == "rebuilt"
    assert kept.get("a", lambda: "rebuilt") == "rebuilt"


def test_a_query_is_read_once_and_a_callers_change_stays_its_own(monkeypatch):
    from ess.ui import data

    data.RESULTS.clear()
    calls = []
    real = data._run

    def counted(*key):
        calls.append(key[0])
        return real(*key)

    monkeypatch.setattr(data, "_run", counted)
    first = data.query("projets_kpi")
    assert int(first.loc[0, "nb_projets"]) == 62
    first.loc[0, "nb_projets"] = 0
    first["ajout"] = 1
    again = data.query("projets_kpi")
    assert calls == ["projets_kpi"]
    assert int(again.loc[0, "nb_projets"]) == 62 and "ajout" not in again
    assert again.attrs["source"] == first.attrs["source"]


def test_published_figures_are_read_once_per_store_version(monkeypatch):
    from ess import provenance
    from ess.filters import Filtres
    from ess.ui import data

    data.RESULTS.clear()
    data._known_figures.cache_clear()
    calls = []
    real = provenance.known_figures

    def counted(con):
        calls.append(1)
        return real(con)

    monkeypatch.setattr(provenance, "known_figures", counted)
    kpi = data.query("projets_kpi", Filtres(annees=(2017,)))
    assert int(kpi.loc[0, "nb_projets"]) == 17
    assert kpi.loc[0, "provenance_nb_projets"] == provenance.PUBLIE  # « 17 projets en 2017 »
    data.query("projets_par_territoire", Filtres(annees=(2016,)))
    data.query("projets_par_annee", Filtres(formes=("association",)))
    assert calls == [1]
