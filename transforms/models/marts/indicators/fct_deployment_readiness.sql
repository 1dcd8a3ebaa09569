with cohorts as (
    select * from {{ ref('int_deployment__cohort_readiness') }}
)

select
    {{ quarter_columns('announced_quarter') }},
    cast(sector as varchar) as sector,
    cast(as_of_quarter as varchar) as as_of_quarter,
    cast(lines_announced as integer) as lines_announced,
    cast(pilot_lines_announced as integer) as pilot_lines_announced,
    cast(lines_with_deployment_plan as integer) as lines_with_deployment_plan,
    cast(deployment_plan_share as double precision) as deployment_plan_share,
    cast(lines_operational as integer) as lines_operational,
    cast(deployment_window_months as integer) as deployment_window_months,
    cast(lines_deployed_within_window as integer) as lines_deployed_within_window,
    cast(deployed_within_window_share as double precision) as deployed_within_window_share,
    cast(cohort_window_closed as boolean) as cohort_window_closed
from cohorts
where {{ release_quarter_filter('announced_quarter') }}
