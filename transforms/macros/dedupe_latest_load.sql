{#- A corrected file lands as a new load; the latest load of each key supersedes earlier ones.
    Order: _loaded_at, then _load_id (loads landed in the same instant), then the later line. -#}
{% macro dedupe_latest_load(key_columns, order_first=none) -%}
    qualify row_number() over (
        partition by {{ key_columns | join(', ') }}
        order by {% if order_first %}{{ order_first }} desc nulls last, {% endif %}_loaded_at desc, _load_id desc, _source_line desc
    ) = 1
{%- endmacro %}
