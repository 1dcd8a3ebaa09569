-- One row per calendar quarter between the calendar_first_quarter and calendar_last_quarter vars.
{%- set first_q = var('calendar_first_quarter') | string -%}
{%- set last_q = var('calendar_last_quarter') | string -%}
{%- set n_quarters = (last_q[:4] | int) * 4 + (last_q[6:] | int) - (first_q[:4] | int) * 4 - (first_q[6:] | int) + 1 %}
with numbers as (
    {{ dbt.generate_series(n_quarters) }}
),

spine as (
    select
        cast({{ dbt.dateadd('month', '3 * (generated_number - 1)', quarter_start("'" ~ first_q ~ "'")) }} as date) as quarter_start
    from numbers
)

select {{ quarter_key('quarter_start') }} as quarter
from spine
