"""The committed feed data dictionary is exactly the rendering of contracts.yml."""

from pathlib import Path

from orchestration.feeds.contracts import load_contracts, parse_contracts
from orchestration.feeds.dictionary import render_feed_dictionary

DICTIONARY = Path(__file__).resolve().parents[2] / "docs" / "data_dictionary.md"


def test_committed_dictionary_matches_contracts():
    expected = render_feed_dictionary(load_contracts())
    assert DICTIONARY.read_text(encoding="utf-8") == expected, (
        "docs/data_dictionary.md is stale: run "
        "`uv run --frozen python -m orchestration.feeds.dictionary > docs/data_dictionary.md`"
    )


def test_every_table_and_column_is_documented():
    contracts = load_contracts()
    text = render_feed_dictionary(contracts)
    for feed in contracts.feeds:
        assert f"## Feed `{feed}`" in text
    for t in contracts.tables.values():
        assert f"### `{t.name}`" in text
        for c in t.columns:
            assert f"| `{c.name}` | {c.type} |" in text


def test_rules_render_keys_bounds_allowed_and_pii():
    doc = {
        "feeds": {"demo": {"description": "Demo feed."}},
        "tables": {
            "t": {
                "feed": "demo",
                "description": "A table.",
                "patterns": ["t*.csv"],
                "key": ["id"],
                "columns": [
                    {"name": "id", "type": "code", "description": "Id | with pipe"},
                    {"name": "n", "type": "integer", "min": 0, "max": 10, "nullable": False},
                    {"name": "k", "type": "code", "allowed": ["a", "b"], "required": False},
                    {"name": "d", "type": "date", "not_future": True, "pii": True},
                ],
            }
        },
    }
    text = render_feed_dictionary(parse_contracts(doc))
    assert "| 1 | `id` | code | key |  | Id \\| with pipe |" in text
    assert "| 2 | `n` | integer | not empty; 0 to 10 |  |  |" in text
    assert "| 3 | `k` | code | optional header; one of `a`, `b` |  |  |" in text
    assert "| 4 | `d` | date | not future | yes |  |" in text
    assert "No tables are declared" not in text
