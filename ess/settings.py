"""How this instance runs: `ESS_MODE=staff` (default, MEL staff: import page) or
`ESS_MODE=public` (the read-only public deployment: no write path at all)."""

import os

MODE = os.environ.get("ESS_MODE", "staff").strip().lower()
if MODE not in ("staff", "public"):
    raise SystemExit(f"ESS_MODE doit valoir « staff » ou « public », pas « {MODE} ».")


def is_public() -> bool:
    return MODE == "public"
