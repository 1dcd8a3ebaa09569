"""Benchmark of the pipeline against raw DuckDB, hand-written SQL and pandas (docs/benchmarks.md).

``python -m benchmarks --size 1e6`` — not part of the test suite (tests/benchmarks/ runs a tiny
size as a correctness smoke test).
"""
