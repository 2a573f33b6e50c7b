"""Each module imports on its own in a fresh process: a page may be the first one a new
server runs (a shared link to « Chiffres clés et sources »), and an import cycle between the
modules then breaks that page only."""

import subprocess
import sys

import pytest

from ess.paths import ROOT

MODULES = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    for path in (ROOT / "ess").rglob("*.py") if path.name != "__main__.py"
)


def test_every_module_is_listed():
    assert {"ess.documents", "ess.tables", "ess.provenance", "ess.ui.page"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_first_in_a_fresh_process(module):
    run = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
