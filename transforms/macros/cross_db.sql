{#- Where DuckDB and PostgreSQL spell the same thing differently and dbt has no cross-database macro
    for it, the difference lives here, dispatched on the adapter (duckdb__ / postgres__ / default__).
    Models call these instead of a dialect's own function, so `dbt build --target postgres` runs the
    same models as the DuckDB build. -#}

{#- First capture group of a regular expression; NULL (DuckDB: '') when nothing matches, so callers
    wrap it in nullif(..., ''). -#}
{% macro regexp_extract_group(expr, pattern) -%}
    {{ return(adapter.dispatch('regexp_extract_group')(expr, pattern)) }}
{%- endmacro %}
{% macro duckdb__regexp_extract_group(expr, pattern) -%}
    regexp_extract({{ expr }}, '{{ pattern }}', 1)
{%- endmacro %}
{% macro default__regexp_extract_group(expr, pattern) -%}
    substring({{ expr }} from '{{ pattern }}')
{%- endmacro %}

{#- The value of expr on the first row of the group in the given order (nulls included). -#}
{% macro first_by(expr, order_by) -%}
    {{ return(adapter.dispatch('first_by')(expr, order_by)) }}
{%- endmacro %}
{% macro duckdb__first_by(expr, order_by) -%}
    first({{ expr }} order by {{ order_by }})
{%- endmacro %}
{% macro default__first_by(expr, order_by) -%}
    (array_agg({{ expr }} order by {{ order_by }}))[1]
{%- endmacro %}

{#- Median, interpolated between the two middle values (percentile_cont(0.5)). -#}
{% macro median(expr) -%}
    {{ return(adapter.dispatch('median')(expr)) }}
{%- endmacro %}
{% macro duckdb__median(expr) -%}
    median({{ expr }})
{%- endmacro %}
{% macro default__median(expr) -%}
    percentile_cont(0.5) within group (order by {{ expr }})
{%- endmacro %}

{#- round(x, digits) of a double as DuckDB computes it: the double's exact binary value rounded half
    away from zero. PostgreSQL's round(numeric, n) would first cut the double to 15 digits, so a
    share stored as 0.94374999999999997779 (the double nearest 0.94375) would give 0.9438 there and
    0.9437 in DuckDB. Here the double's bits (float8send) give mantissa m and exponent: x = m / 2^k
    = m * 5^k / 10^k exactly, rounded with integer numeric arithmetic. For |x| < 2^52. -#}
{% macro round_float(expr, digits) -%}
    {{ return(adapter.dispatch('round_float')(expr, digits)) }}
{%- endmacro %}
{% macro duckdb__round_float(expr, digits) -%}
    round({{ expr }}, {{ digits }})
{%- endmacro %}
{% macro default__round_float(expr, digits) -%}
    {%- set x = "cast(" ~ expr ~ " as double precision)" -%}
    {%- set ns = namespace(terms=["((get_byte(float8send(" ~ x ~ "), 1) & 15)::bigint << 48)"]) -%}
    {%- for i in range(2, 8) -%}
        {%- set ns.terms = ns.terms + ["(get_byte(float8send(" ~ x ~ "), " ~ i ~ ")::bigint << " ~ (8 * (7 - i)) ~ ")"] -%}
    {%- endfor -%}
    {%- set k = "(1075 - (((get_byte(float8send(" ~ x ~ "), 0) & 127) << 4) + (get_byte(float8send(" ~ x ~ "), 1) >> 4)))" -%}
    (case when {{ x }} = 0 then 0 else sign({{ x }}) * div(
        2 * ({{ ns.terms | join(' + ') }} + 4503599627370496)::numeric * power(5::numeric, {{ k }}) * {{ 10 ** digits }}
            + power(10::numeric, {{ k }}),
        2 * power(10::numeric, {{ k }})) / {{ 10 ** digits }} end)
{%- endmacro %}

{#- Keep the first row of each partition in the given order: the standard-SQL form of DuckDB's
    `qualify row_number() over (...) = 1`. Used as `from {{ first_row_per('cte', ['key'], 'col desc') }}`;
    the subquery keeps the relation's name, so the select list is unchanged. The rank column
    (_first_row_rank) is only in this subquery's `*`; select columns by name after it. -#}
{% macro first_row_per(relation, partition_by, order_by, alias=none) -%}
    (
        select
            *,
            row_number() over (partition by {{ partition_by | join(', ') }} order by {{ order_by }}) as _first_row_rank
        from {{ relation }}
    ) as {{ alias or relation }}
    where {{ alias or relation }}._first_row_rank = 1
{%- endmacro %}
