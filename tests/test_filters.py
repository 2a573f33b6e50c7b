"""Filters from and to the URL: known values kept, anything else dropped with a notice."""

from ess.filters import Filtres, from_query, summary

KNOWN = {
    "annees": {"2015": "2015", "2016": "2016", "2017": "2017", "2018": "2018"},
    "axes": {"pmdess-2015-2020/1": "PMDESS 2015-2020 · 1. Accompagnement",
             "pmdess-2015-2020/2": "PMDESS 2015-2020 · 2. Animation"},
    "territoires": {"lillois": "Lillois", "est": "Est"},
    "formes": {"association": "Association"},
    "activites": {"numerique": "Numérique"},
}


def test_round_trip():
    filtres = Filtres(annees=(2016, 2017), axes=("pmdess-2015-2020/2",), territoires=("est",))
    query = filtres.to_query()
    assert query == {"annees": "2016,2017", "axes": "pmdess-2015-2020/2", "territoires": "est"}
    lecture = from_query(query, KNOWN)
    assert lecture.filtres == filtres and lecture.rejets == []


def test_unknown_and_hostile_values_are_dropped_with_a_notice():
    lecture = from_query(
        {"annees": "2017,1999,2017", "territoires": "lillois'; DROP TABLE projet;--",
         "axes": "x" * 600, "inconnu": "1"},
        KNOWN,
    )
    assert lecture.filtres == Filtres(annees=(2017,))
    assert lecture.rejets == [
        "Années : valeur inconnue « 1999 » ignorée.",
        "Axes du plan en vigueur : paramètre trop long, ignoré.",
        "Territoires : valeur inconnue « lillois'; DROP TABLE projet;-- » ignorée.",
    ]


def test_values_are_ordered_as_known():
    assert from_query({"annees": "2018,2015"}, KNOWN).filtres.annees == (2015, 2018)


def test_summary_in_french():
    assert summary(Filtres(), KNOWN) == "Aucun filtre : tous les projets 2015-2018."
    assert summary(Filtres(), {**KNOWN, "annees": {"2011": "2011", "2026": "2026"}}) == (
        "Aucun filtre : tous les projets 2011-2026.")
    assert summary(Filtres(annees=(2017,), territoires=("est", "lillois")), KNOWN) == (
        "Années : 2017 · Territoires : Est, Lillois")
