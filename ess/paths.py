"""Where the project's files live, relative to the repository root."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES_DIR = ROOT / "data" / "sources"
STORE_FILE = Path(os.environ.get("ESS_STORE", ROOT / "data" / "ess.duckdb"))
SCHEMA_FILE = ROOT / "ess" / "schema.sql"
QUERIES_DIR = ROOT / "queries"
GEO_DIR = ROOT / "geo"
