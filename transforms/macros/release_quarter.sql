{#- The release quarter (var release_quarter, passed by Dagster per partition), validated so a
    malformed value fails the compile instead of silently filtering everything out. -#}
{% macro release_quarter() -%}
    {%- set q = var('release_quarter') | string | trim -%}
    {%- if not modules.re.match('^[0-9]{4}-Q[1-4]$', q) -%}
        {{ exceptions.raise_compiler_error("var release_quarter=" ~ q ~ " is not a quarter key; pass it as YYYY-Qn, e.g. 2026-Q2") }}
    {%- endif -%}
    '{{ q }}'
{%- endmacro %}

{#- Keep quarters up to and including the release quarter. -#}
{% macro release_quarter_filter(quarter_expr) -%}
    {{ quarter_expr }} <= {{ release_quarter() }}
{%- endmacro %}

{#- Last day of the release quarter: as-of cut-off for status reports (milestones, lines, crosswalk). -#}
{% macro release_quarter_end() -%}
    {{ quarter_end(release_quarter()) }}
{%- endmacro %}
