-- Readiness of each announcement cohort (quarter announced x sector, plus 'all'), judged on the
-- lines' status as of the release quarter.
with line_status as (
    select * from {{ ref('int_deployment__line_status_by_quarter') }}
),

as_of_release as (
    select * from line_status
    where quarter = {{ release_quarter() }}
),

by_sector as (
    select
        announced_quarter,
        sector,
        count(*) as lines_announced,
        count(case when is_pilot then 1 end) as pilot_lines_announced,
        count(case when has_deployment_plan then 1 end) as lines_with_deployment_plan,
        count(case when is_operational then 1 end) as lines_operational,
        count(case when deployed_within_window then 1 end) as lines_deployed_within_window,
        count(case when window_elapsed then 1 end) as lines_window_elapsed,
        max(deployment_window_months) as deployment_window_months
    from as_of_release
    group by announced_quarter, sector
),

national as (
    select
        announced_quarter,
        'all' as sector,
        count(*) as lines_announced,
        count(case when is_pilot then 1 end) as pilot_lines_announced,
        count(case when has_deployment_plan then 1 end) as lines_with_deployment_plan,
        count(case when is_operational then 1 end) as lines_operational,
        count(case when deployed_within_window then 1 end) as lines_deployed_within_window,
        count(case when window_elapsed then 1 end) as lines_window_elapsed,
        max(deployment_window_months) as deployment_window_months
    from as_of_release
    group by announced_quarter
),

unioned as (
    select * from by_sector
    union all
    select * from national
)

select
    *,
    {{ release_quarter() }} as as_of_quarter,
    cast(lines_with_deployment_plan as double precision) / nullif(lines_announced, 0) as deployment_plan_share,
    cast(lines_deployed_within_window as double precision) / nullif(lines_announced, 0) as deployed_within_window_share,
    lines_window_elapsed = lines_announced as cohort_window_closed
from unioned
