"""Key columns of the published marts, read from the dbt project.

A mart's key is the column set its ``unique_combination_of_columns`` test names, or the column of
its ``unique`` test: dbt enforces them on every build, so the release, the revision diff and the
provenance queries identify a figure by the same columns dbt guarantees unique.
"""

from __future__ import annotations

from typing import Any


def mart_keys(manifest: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """``{mart name: key columns}`` for every model with a uniqueness test in the manifest."""
    combos: dict[str, tuple[str, ...]] = {}
    singles: dict[str, tuple[str, ...]] = {}
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") != "test":
            continue
        meta = node.get("test_metadata") or {}
        attached = node.get("attached_node") or ""
        model = manifest.get("nodes", {}).get(attached, {}).get("name")
        if not model:
            continue
        if meta.get("name") == "unique_combination_of_columns":
            kwargs = meta.get("kwargs") or {}
            cols = kwargs.get("combination_of_columns") or (kwargs.get("arguments") or {}).get(
                "combination_of_columns"
            )
            if cols:
                combos[model] = tuple(cols)
        elif meta.get("name") == "unique" and node.get("column_name"):
            singles.setdefault(model, (node["column_name"],))
    return {**singles, **combos}


def load_mart_keys() -> dict[str, tuple[str, ...]]:
    """Keys from the project's manifest; empty when the dbt project cannot be read."""
    try:
        from orchestration.dbt import load_manifest

        return mart_keys(load_manifest())
    except Exception:  # noqa: BLE001 — no manifest means no keys, not a failed release
        return {}
