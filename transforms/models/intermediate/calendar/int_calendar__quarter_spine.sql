-- One row per calendar quarter between the calendar_first_quarter and calendar_last_quarter vars.
with bounds as (
    select
        {{ quarter_start("'" ~ var('calendar_first_quarter') ~ "'") }} as first_day,
        {{ quarter_start("'" ~ var('calendar_last_quarter') ~ "'") }} as last_day
),

spine as (
    select cast(quarter_start as date) as quarter_start
    from bounds, generate_series(first_day, last_day, interval 3 month) as g(quarter_start)
)

select {{ quarter_key('quarter_start') }} as quarter
from spine
