{#- A corrected file lands as a new load; the latest load of each key supersedes earlier ones.
    Order: [order_first], _loaded_at, _load_id, then - for files landed in the same load, as when a
    whole inbox of quarterly snapshots lands at once - the later quarter in the file name
    (<table>_<quarter>.csv), then file name and line, so the choice is always deterministic.
    Used as `from {{ dedupe_latest_load('source', [key columns]) }}` (standard SQL, no `qualify`,
    so it runs on DuckDB and PostgreSQL alike).

    Incremental staging (delete+insert on the model's unique_key): only the keys that appear in the
    newest loads are re-decided, over every version of those keys, so a quarter's new files cost
    their own size and not the history's. "Newest" is every row landed after the latest _loaded_at
    the model already holds (the latest load always wins its keys, so that timestamp is the last
    load the model has seen), plus rows stamped with that same time by a load the model does not
    hold. Loads are stamped with the time they land, so they arrive in _loaded_at order. -#}
{% macro dedupe_latest_load(relation, key_columns, order_first=none) -%}
    {%- set order_by -%}
            {% if order_first %}{{ order_first }} desc nulls last,{% endif %}
            _loaded_at desc,
            _load_id desc,
            nullif({{ regexp_extract_group('_source_file', '([0-9]{4}-Q[1-4])') }}, '') desc nulls last,
            _source_file desc,
            _source_line desc
    {%- endset -%}
    {%- if is_incremental() %}
    {%- set keys = key_columns | join(', ') %}
    {%- set newest_staged -%}
        (select coalesce(max(_loaded_at), cast('1900-01-01' as timestamp)) from {{ this }})
    {%- endset %}
    {%- set changed -%}
    (
        select * from {{ relation }}
        where ({{ keys }}) in (
            select {{ keys }} from {{ relation }}
            where
                _loaded_at > {{ newest_staged }}
                or (
                    _loaded_at = {{ newest_staged }}
                    and _load_id not in (select _load_id from {{ this }} where _loaded_at = {{ newest_staged }})
                )
        )
    ) as {{ relation }}_changed
    {%- endset %}
    {{ first_row_per(changed, key_columns, order_by, alias=relation) }}
    {%- else %}
    {{ first_row_per(relation, key_columns, order_by) }}
    {%- endif %}
{%- endmacro %}
