"""The map's data as GeoJSON: each territory's or commune's outline with the values the map
shows (projects, grants, jobs), for GIS tools (QGIS, uMap)."""

from __future__ import annotations

import json

import pandas as pd

MIME = "application/geo+json"


def with_values(geojson: dict, values: pd.DataFrame, feature_key: str, value_key: str) -> bytes:
    """`geojson` whose features carry their row of `values` (joined on the feature's
    `feature_key` property and the `value_key` column); the input is not modified."""
    rows = {
        str(row[value_key]): {k: _plain(v) for k, v in row.items() if k != value_key}
        for row in values.to_dict("records")
    }
    features = [
        {**feature, "properties": {**feature["properties"],
                                   **rows.get(str(feature["properties"][feature_key]), {})}}
        for feature in geojson["features"]
    ]
    return json.dumps({**geojson, "features": features}, ensure_ascii=False).encode("utf-8")


def _plain(value):
    """A JSON value: numpy numbers as Python numbers, whole floats as integers, NaN as null."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
