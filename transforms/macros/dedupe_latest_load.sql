{#- A corrected file lands as a new load; the latest load of each key supersedes earlier ones.
    Order: [order_first], _loaded_at, _load_id, then - for files landed in the same load, as when a
    whole inbox of quarterly snapshots lands at once - the later quarter in the file name
    (<table>_<quarter>.csv), then file name and line, so the choice is always deterministic.
    Used as `from {{ dedupe_latest_load('source', [key columns]) }}` (standard SQL, no `qualify`,
    so it runs on DuckDB and PostgreSQL alike). -#}
{% macro dedupe_latest_load(relation, key_columns, order_first=none) -%}
    {%- set order_by -%}
            {% if order_first %}{{ order_first }} desc nulls last,{% endif %}
            _loaded_at desc,
            _load_id desc,
            nullif({{ regexp_extract_group('_source_file', '([0-9]{4}-Q[1-4])') }}, '') desc nulls last,
            _source_file desc,
            _source_line desc
    {%- endset -%}
    {{ first_row_per(relation, key_columns, order_by) }}
{%- endmacro %}
