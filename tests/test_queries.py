"""Each question of the dashboard, with and without filters, against known figures."""

import re

import pytest

from ess import queries
from ess.filters import Filtres
from ess.paths import QUERIES_DIR


def kpi(con, **filters):
    return queries.run(con, "projets_kpi", Filtres(**filters)).iloc[0]


def test_headline_figures(con):
    row = kpi(con)
    assert row["nb_projets"] == 62
    assert row["subvention_totale"] == 768_200
    assert row["emplois_prevus"] == 455
    assert row["emplois_realises"] == 483
    assert row["nb_associations"] == 28
    assert round(row["part_associations_pct"]) == 45
    assert row["subvention_max"] <= 20_000


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"annees": (2017,)}, 17),
        ({"annees": (2016, 2017)}, 32),
        ({"territoires": ("lillois",)}, 34),
        ({"territoires": ("weppes",)}, 0),
        ({"formes": ("association",)}, 28),
        ({"activites": ("art-culture",)}, 11),
        ({"axes": ("pmdess-2015-2020/1",)}, 31),
        ({"axes": ("pmdess-2015-2020/4", "pmdess-2015-2020/5")}, 14),
        ({"territoires": ("roubaisien",), "activites": ("industrie",)}, 1),
    ],
)
def test_filters_on_project_count(con, filters, expected):
    assert kpi(con, **filters)["nb_projets"] == expected


def test_empty_selection_gives_zero_not_null(con):
    row = kpi(con, territoires=("weppes",))
    assert row["nb_projets"] == 0 and row["subvention_totale"] == 0
    assert row["emplois_realises"] == 0


def test_per_year(con):
    frame = queries.run(con, "projets_par_annee")
    assert frame["annee"].tolist() == [2015, 2016, 2017, 2018]
    assert frame["nb_projets"].tolist() == [15, 15, 17, 15]
    assert frame["subvention"].sum() == 768_200
    only_2017 = queries.run(con, "projets_par_annee", Filtres(annees=(2017,)))
    assert only_2017["nb_projets"].tolist() == [0, 0, 17, 0]


def test_per_territory(con):
    frame = queries.run(con, "projets_par_territoire").set_index("territoire")
    assert frame["nb_projets"].to_dict() == {
        "lillois": 34, "roubaisien": 12, "tourquennois": 2, "est": 7, "couronne-nord": 4,
        "couronne-sud": 1, "weppes": 0, "lys": 2}
    assert frame.loc["weppes", "population"] == 73_714
    assert frame["population"].sum() == 1_170_630
    assert round(frame.loc["lillois", "part_pct"]) == 55
    assert frame["subvention"].sum() == 768_200
    filtered = queries.run(con, "projets_par_territoire", Filtres(formes=("association",)))
    assert len(filtered) == 8 and filtered["nb_projets"].sum() == 28


def test_per_activity_and_form(con):
    activity = queries.run(con, "projets_par_activite").set_index("activite")
    assert activity.loc["art-culture", "nb_projets"] == 11
    assert activity.loc["autre", "nb_projets"] == 12
    labelled = activity.dropna(subset=["nb_publie"])
    assert (labelled["nb_projets"] == labelled["nb_publie"]).all()
    forms = queries.run(con, "projets_par_forme").set_index("forme_juridique")
    assert forms["nb_projets"].to_dict() == {"association": 28, "entreprise-cooperative-sociale": 34}
    assert round(forms.loc["entreprise-cooperative-sociale", "part_pct"]) == 55


def test_per_axis(con):
    # The axes of every plan in force during a period of the call, in time order.
    frame = queries.run(con, "projets_par_axe").set_index("axe_plan")
    assert frame.index.tolist() == [
        *(f"pmdess-2011-2014/{n}" for n in (1, 2, 3)),
        *(f"pmdess-2015-2020/{n}" for n in (1, 2, 3, 4, 5)), "mel-feuille-de-route-2022-2026/1"]
    assert frame["nb_projets"].tolist() == [0, 0, 0, 31, 10, 7, 12, 2, 0]


def test_project_list_follows_filters(con):
    frame = queries.run(con, "projets_liste", Filtres(annees=(2018,), territoires=("lillois",)))
    assert len(frame) == len(frame[(frame["annee"] == 2018) & (frame["territoire"] == "Lillois")])
    # A reconstructed project never carries a real name; the named ones are listed apart.
    assert "Projet reconstitué n° 2018-03" in frame["libelle"].tolist()
    assert "Le Singe Savant" not in frame["libelle"].tolist()
    assert "Le Singe Savant" in queries.run(con, "laureats_publics")["nom"].tolist()
    assert len(queries.run(con, "projets_liste")) == 62


# Example values for the parameters some queries take besides the filters.
EXTRA_PARAMS = {"recherche": "lille", "ids": ["aap-entreprendre-autrement"], "limite": 10,
                "debut": 0}


@pytest.mark.parametrize("name", queries.names())
def test_every_query_runs_unfiltered_and_filtered(con, name):
    wanted = set(re.findall(r"\$([a-z_]+)", queries.sql(name))) - set(Filtres().params())
    extra = {p: EXTRA_PARAMS[p] for p in wanted}
    queries.run(con, name, **extra)
    queries.run(con, name, Filtres(annees=(2016,), axes=("pmdess-2015-2020/1",), territoires=("est",)), **extra)


@pytest.mark.parametrize("path", sorted(QUERIES_DIR.glob("*.sql")), ids=lambda p: p.name)
def test_queries_bind_parameters(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\{[a-z_]*\}|%s|%\(", text), "paramètre formaté dans le texte SQL"
    assert text.lstrip().startswith("--"), "chaque requête dit en commentaire la question posée"


def test_unknown_query_name_is_refused(con):
    with pytest.raises(ValueError):
        queries.run(con, "../ess/schema")
