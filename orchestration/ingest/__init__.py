"""Ingest: feed files in the inbox → DuckDB raw schemas, with lineage, refusals and quarantine."""
