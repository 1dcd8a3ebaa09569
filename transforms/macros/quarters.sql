{#- Calendar and federal fiscal quarters, the SQL twin of orchestration/quarters.py.
    A quarter key is 'YYYY-Qn'; the federal fiscal year starts on 1 October, so 2025-Q4 is FY2026-Q1.
    Quarter keys sort as text, so `quarter <= '2026-Q2'` is a correct range filter. -#}

{% macro quarter_key(date_expr) -%}
    (cast(extract(year from {{ date_expr }}) as varchar) || '-Q' || cast(extract(quarter from {{ date_expr }}) as varchar))
{%- endmacro %}

{% macro quarter_year(quarter_expr) -%}
    cast(substr({{ quarter_expr }}, 1, 4) as integer)
{%- endmacro %}

{% macro quarter_number(quarter_expr) -%}
    cast(substr({{ quarter_expr }}, 7, 1) as integer)
{%- endmacro %}

{#- Quarters since year 0: the difference of two indexes is a distance in quarters. -#}
{% macro quarter_index(quarter_expr) -%}
    ({{ quarter_year(quarter_expr) }} * 4 + {{ quarter_number(quarter_expr) }} - 1)
{%- endmacro %}

{% macro quarter_start(quarter_expr) -%}
    make_date({{ quarter_year(quarter_expr) }}, 3 * ({{ quarter_number(quarter_expr) }} - 1) + 1, 1)
{%- endmacro %}

{% macro quarter_end(quarter_expr) -%}
    cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 3, quarter_start(quarter_expr))) }} as date)
{%- endmacro %}

{% macro fiscal_year(quarter_expr) -%}
    ({{ quarter_year(quarter_expr) }} + case when {{ quarter_number(quarter_expr) }} = 4 then 1 else 0 end)
{%- endmacro %}

{% macro fiscal_quarter(quarter_expr) -%}
    (case when {{ quarter_number(quarter_expr) }} = 4 then 1 else {{ quarter_number(quarter_expr) }} + 1 end)
{%- endmacro %}

{% macro fiscal_key(quarter_expr) -%}
    ('FY' || cast({{ fiscal_year(quarter_expr) }} as varchar) || '-Q' || cast({{ fiscal_quarter(quarter_expr) }} as varchar))
{%- endmacro %}

{#- The three columns every mart row carries. -#}
{% macro quarter_columns(quarter_expr) -%}
    cast({{ quarter_expr }} as varchar) as quarter,
    cast({{ fiscal_year(quarter_expr) }} as integer) as fiscal_year,
    cast({{ fiscal_quarter(quarter_expr) }} as integer) as fiscal_quarter
{%- endmacro %}
