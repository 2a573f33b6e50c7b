"""The committed geography (geo/*.geojson, data/sources/commune.csv) and the maps of ess.maps."""

from __future__ import annotations

import csv
import json
import struct
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

from ess import maps

ROOT = Path(__file__).resolve().parent.parent
GEO = ROOT / "geo"
COMMUNES_FILE = GEO / "communes.geojson"
TERRITOIRES_FILE = GEO / "territoires.geojson"
COMMUNE_CSV = ROOT / "data" / "sources" / "commune.csv"
TERRITOIRE_CSV = ROOT / "data" / "sources" / "territoire.csv"
REFERENCE = ROOT.parent / "shared" / "reference" / "territories.csv"

EXPECTED = {
    "lillois": (1, 232_787),
    "roubaisien": (9, 226_658),
    "tourquennois": (6, 165_094),
    "couronne-nord": (11, 139_179),
    "couronne-sud": (18, 137_708),
    "est": (13, 106_901),
    "lys": (12, 88_589),
    "weppes": (25, 73_714),
}
TOTAL_POPULATION = 1_170_630


@pytest.fixture(scope="module")
def communes() -> dict:
    return json.loads(COMMUNES_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def territoires() -> dict:
    return json.loads(TERRITOIRES_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def commune_shapes(communes) -> dict:
    return {f["properties"]["insee"]: shape(f["geometry"]) for f in communes["features"]}


@pytest.fixture(scope="module")
def territoire_shapes(territoires) -> dict:
    return {f["properties"]["code"]: shape(f["geometry"]) for f in territoires["features"]}


def _values(**overrides) -> pd.DataFrame:
    rows = pd.read_csv(TERRITOIRE_CSV)
    values = {code: 1000.0 * (i + 1) for i, code in enumerate(rows["code"])}
    values.update(overrides)
    montants = [values[c] for c in rows["code"]]
    return pd.DataFrame({"territoire": rows["code"], "nom": rows["nom"], "montant": montants})


def _trace(fig, name):
    matches = [t for t in fig.data if t.name == name]
    return matches[0] if matches else None


# --------------------------------------------------------------------------- geometry


def test_geometries_are_valid(commune_shapes, territoire_shapes):
    for code, geom in {**commune_shapes, **territoire_shapes}.items():
        assert geom.is_valid, code
        assert not geom.is_empty and geom.area > 0, code
        assert geom.geom_type in ("Polygon", "MultiPolygon"), code


def test_coordinates_are_wgs84_with_five_decimals(communes):
    coords = shapely.get_coordinates([shape(f["geometry"]) for f in communes["features"]])
    assert 2.7 < coords[:, 0].min() and coords[:, 0].max() < 3.4  # longitudes around Lille
    assert 50.4 < coords[:, 1].min() and coords[:, 1].max() < 50.9
    assert (abs(coords * 1e5 - (coords * 1e5).round()) < 1e-6).all()


def test_95_communes_and_8_territories(communes, territoires):
    codes = [f["properties"]["insee"] for f in communes["features"]]
    assert len(codes) == 95 and len(set(codes)) == 95
    assert "59355" not in codes and "59298" not in codes  # Lomme, Hellemmes: part of Lille
    assert "59350" in codes
    territory_codes = [f["properties"]["code"] for f in territoires["features"]]
    assert sorted(territory_codes) == sorted(EXPECTED)
    assert set(pd.read_csv(TERRITOIRE_CSV)["code"]) == set(territory_codes)
    counts = Counter(f["properties"]["territoire"] for f in communes["features"])
    for feature in territoires["features"]:
        code = feature["properties"]["code"]
        assert counts[code] == EXPECTED[code][0], code
        assert feature["properties"]["nb_communes"] == EXPECTED[code][0], code
        assert feature["properties"]["nom"]


def test_properties_are_the_documented_ones(communes, territoires):
    for f in communes["features"]:
        assert set(f["properties"]) == {"insee", "nom", "territoire", "population"}
        assert isinstance(f["properties"]["population"], int)
    for f in territoires["features"]:
        assert set(f["properties"]) == {"code", "nom", "population", "nb_communes"}


@pytest.mark.skipif(not REFERENCE.is_file(), reason="référence absente (../shared/reference)")
def test_every_reference_commune_has_its_territory(communes):
    names = dict(pd.read_csv(TERRITOIRE_CSV)[["nom_complet", "code"]].itertuples(index=False))
    by_insee = {f["properties"]["insee"]: f["properties"] for f in communes["features"]}
    with REFERENCE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 95
    for row in rows:
        assert row["insee"] in by_insee, row["insee"]
        assert by_insee[row["insee"]]["territoire"] == names[row["territoire"]], row["insee"]
        assert by_insee[row["insee"]]["nom"] == row["commune"], row["insee"]


def test_every_commune_lies_in_exactly_one_territory(communes, commune_shapes, territoire_shapes):
    for f in communes["features"]:
        code = f["properties"]["insee"]
        geom = commune_shapes[code]
        own = territoire_shapes[f["properties"]["territoire"]]
        assert geom.difference(own).area < 1e-12, code
        for other_code, other in territoire_shapes.items():
            if other_code != f["properties"]["territoire"]:
                assert geom.intersection(other).area < 1e-12, (code, other_code)


def test_borders_are_shared_exactly(commune_shapes, territoire_shapes):
    commune_geoms = list(commune_shapes.values())
    territoire_geoms = list(territoire_shapes.values())
    # Neighbours share their edges vertex for vertex: no overlap, no misaligned border.
    assert shapely.coverage_is_valid(commune_geoms)
    assert shapely.coverage_is_valid(territoire_geoms)
    union_communes = shapely.union_all(commune_geoms)
    union_territoires = shapely.union_all(territoire_geoms)
    assert union_communes.symmetric_difference(union_territoires).area < 1e-9
    sum_communes = sum(g.area for g in commune_geoms)
    assert abs(union_territoires.area - sum_communes) <= 1e-6 * sum_communes
    assert abs(sum(g.area for g in territoire_geoms) - sum_communes) <= 1e-6 * sum_communes
    # MEL is one piece without holes: any hole would be a gap between communes.
    assert union_communes.geom_type == "Polygon"
    assert len(union_communes.interiors) == 0


def test_files_are_small_enough():
    assert COMMUNES_FILE.stat().st_size + TERRITOIRES_FILE.stat().st_size <= 300_000


def test_populations(communes, territoires):
    per_territory = Counter()
    for f in communes["features"]:
        per_territory[f["properties"]["territoire"]] += f["properties"]["population"]
    for code, (_, population) in EXPECTED.items():
        assert per_territory[code] == population, code
    for f in territoires["features"]:
        assert f["properties"]["population"] == EXPECTED[f["properties"]["code"]][1]
    assert sum(per_territory.values()) == TOTAL_POPULATION


def test_commune_csv_matches_geojson(communes):
    with COMMUNE_CSV.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == ["insee", "nom", "territoire", "population", "source"]
        rows = list(reader)
    assert [r["insee"] for r in rows] == sorted(r["insee"] for r in rows)
    by_insee = {f["properties"]["insee"]: f["properties"] for f in communes["features"]}
    assert set(by_insee) == {r["insee"] for r in rows}
    for row in rows:
        props = by_insee[row["insee"]]
        assert (row["nom"], row["territoire"], int(row["population"])) == (
            props["nom"],
            props["territoire"],
            props["population"],
        )
        assert row["source"]
    assert sum(int(r["population"]) for r in rows) == TOTAL_POPULATION


# --------------------------------------------------------------------------- maps


def test_french_formats():
    assert maps.format_value(12500, "€") == "12\u00a0500\u00a0€"
    assert maps.format_value(3.4, "ETP") == "3,4\u00a0ETP"
    assert maps.format_value(1234567.0) == "1\u00a0234\u00a0567"
    assert maps.ordinal(1) == "1er" and maps.ordinal(1, feminine=True) == "1re"
    assert maps.ordinal(2) == "2e"


def test_choropleth_z_equals_values(territoires, communes):
    values = _values(lys=0.0)
    fig = maps.territory_choropleth(values, territoires, communes, "montant", "Montant", "€")
    trace = _trace(fig, "valeurs")
    expected = {r.territoire: r.montant for r in values.itertuples() if r.montant > 0}
    assert dict(zip(trace.locations, trace.z)) == expected
    assert trace.featureidkey == "properties.code"
    assert "€" in trace.colorbar.title.text
    assert fig.layout.geo.visible is False
    assert fig.layout.geo.fitbounds == "locations"
    # Hover: French value and rank.
    best = max(expected, key=expected.get)
    row = list(trace.locations).index(best)
    assert trace.customdata[row][2] == "1er sur 8"
    assert trace.customdata[row][1] == maps.format_value(expected[best], "€")
    # Commune borders and territory labels.
    assert _trace(fig, "limites communales").lon
    labels = _trace(fig, "libellés")
    assert len(labels.text) == 8 and "Couronne Nord" in labels.text


def test_zero_territory_is_in_the_grey_trace(territoires, communes):
    values = _values(lys=0.0)
    values = values[values["territoire"] != "weppes"]  # absent: no project either
    fig = maps.territory_choropleth(values, territoires, communes, "montant", "Montant", "€")
    grey = _trace(fig, "Aucun projet")
    assert grey is not None
    assert set(grey.locations) == {"lys", "weppes"}
    assert "aucun projet" in grey.hovertemplate
    assert "lys" not in set(_trace(fig, "valeurs").locations)


def test_commune_choropleth_is_limited_to_the_territory(communes):
    values = pd.DataFrame({"insee": ["59009", "59013", "59350"], "montant": [30000.0, 5500.0, 9.0]})
    fig = maps.commune_choropleth(values, communes, "montant", "Montant", "€", "est")
    trace = _trace(fig, "valeurs")
    assert dict(zip(trace.locations, trace.z)) == {"59009": 30000.0, "59013": 5500.0}
    grey = _trace(fig, "Aucun projet")
    assert len(grey.locations) == EXPECTED["est"][0] - 2
    assert trace.customdata[list(trace.locations).index("59009")][2] == "1re sur 13"


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_static_map_png_and_svg(tmp_path, territoires, communes):
    values = _values(lys=0.0)
    for fmt in ("png", "svg"):
        path = tmp_path / f"carte.{fmt}"
        written = maps.static_territory_map(
            values,
            territoires,
            communes,
            "montant",
            "Montant par territoire",
            "€",
            "Source : essai",
            path,
            fmt,
        )
        assert Path(written) == path
        assert path.stat().st_size > 1000
    width, height = _png_size(tmp_path / "carte.png")
    assert width * 9 == height * 16
    assert (tmp_path / "carte.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
