with reports as (
    select * from {{ ref('stg_workforce__training_reports') }}
),

states as (
    select * from {{ ref('states') }}
)

select
    reports.recipient_org_id,
    reports.quarter,
    reports.state_code,
    states.census_region,
    reports.enrolled,
    reports.completed,
    reports.upskilling_packages,
    reports.expert_team_headcount,
    reports.median_wage_before_usd,
    reports.median_wage_after_usd
from reports
left join states on reports.state_code = states.state_code
