-- Status of every announced line as of the end of each reported quarter: the latest report on or
-- before that day. A line enters once its first report is on file.
with reports as (
    select * from {{ ref('stg_supplier__line_announcements') }}
),

quarters as (
    select * from {{ ref('int_calendar__quarters') }}
),

targets as (
    select * from {{ ref('program_targets') }}
),

as_of as (
    {{ latest_report_as_of_quarter_end('reports', 'line_id') }}
),

final as (
    select
        as_of.quarter,
        as_of.line_id,
        as_of.facility_id,
        as_of.sector,
        as_of.is_pilot,
        as_of.announced_date,
        as_of.announced_quarter,
        as_of.deployment_plan_date,
        as_of.operational_date,
        as_of.report_date as status_report_date,
        as_of.deployment_plan_date is not null as has_deployment_plan,
        as_of.operational_date is not null as is_operational,
        -- dbt.datediff renders to one long line on DuckDB
        cast({{ dbt.datediff('as_of.announced_date', 'as_of.operational_date', 'day') }} as double precision)  -- noqa: LT05
        / 30.4375 as months_to_operational,
        cast(targets.target_value as integer) as deployment_window_months,
        as_of.operational_date is not null
        and as_of.operational_date
        <= {{ dbt.dateadd('month', 'cast(targets.target_value as integer)', 'as_of.announced_date') }} as deployed_within_window,
        {{ dbt.dateadd('month', 'cast(targets.target_value as integer)', 'as_of.announced_date') }} <= as_of.quarter_end as window_elapsed
    from as_of
    cross join targets
    where targets.target_id = 'deployment_within_months'
)

select * from final
