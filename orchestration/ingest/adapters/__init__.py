"""Readers for published layouts the generic CSV path cannot take as they are.

The engine looks an adapter up by the contract's ``reader`` and calls it as
``ADAPTERS[reader](frame, contract, file_name)``:

* input: a polars frame whose columns are every header of the file as Utf8 (BOM stripped,
  header names trimmed), plus ``_line`` (Int64, 1-based physical line of the record);
* output: an all-Utf8 frame with exactly the contract's columns, in contract order, plus
  ``_line``; one input line may give several output rows (long layouts) and they share its
  ``_line``. The engine then casts and validates per contract (types, bounds, allowed values,
  key conflicts → quarantine), so the adapter leaves bad values as text;
* a structural fault (a missing required header) raises ``RefusedFile``.

Adapters are pure functions of their input: no I/O beyond their own mapping files.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from orchestration.feeds.contracts import TableContract
from orchestration.ingest.adapters.qcew import adapt_qcew
from orchestration.ingest.adapters.usgs import adapt_net_import_reliance, adapt_salient, adapt_world

Adapter = Callable[[pl.DataFrame, TableContract, str], pl.DataFrame]

ADAPTERS: dict[str, Adapter] = {
    "usgs_salient": adapt_salient,
    "usgs_net_import_reliance": adapt_net_import_reliance,
    "usgs_world": adapt_world,
    "qcew": adapt_qcew,
}

__all__ = ["ADAPTERS", "Adapter"]
