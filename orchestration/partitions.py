"""Quarterly partitions: one partition per quarter of the pledge's five years."""

from __future__ import annotations

import dagster as dg

from orchestration.quarters import program_quarters

quarterly_partitions = dg.StaticPartitionsDefinition(program_quarters())
