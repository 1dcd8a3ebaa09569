{#- A corrected file lands as a new load; the latest load of each key supersedes earlier ones.
    Order: [order_first], _loaded_at, _load_id, then - for files landed in the same load, as when a
    whole inbox of quarterly snapshots lands at once - the later quarter in the file name
    (<table>_<quarter>.csv), then file name and line, so the choice is always deterministic. -#}
{% macro dedupe_latest_load(key_columns, order_first=none) -%}
    qualify row_number() over (
        partition by {{ key_columns | join(', ') }}
        order by
            {% if order_first %}{{ order_first }} desc nulls last,{% endif %}
            _loaded_at desc,
            _load_id desc,
            nullif(regexp_extract(_source_file, '([0-9]{4}-Q[1-4])', 1), '') desc nulls last,
            _source_file desc,
            _source_line desc
    ) = 1
{%- endmacro %}
