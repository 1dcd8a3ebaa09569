-- Roster counts (pseudonymous participants, no personal data) by Census region of residence and quarter.
with participants as (
    select * from {{ ref('stg_workforce__participants') }}
),

states as (
    select * from {{ ref('states') }}
),

with_region as (
    select
        participants.*,
        states.census_region
    from participants
    left join states on participants.state_code = states.state_code
),

enrolled as (
    select
        census_region,
        enrolled_quarter as quarter,
        count(*) as roster_enrolled
    from with_region
    group by census_region, enrolled_quarter
),

completed as (
    select
        census_region,
        completed_quarter as quarter,
        count(*) as roster_completed
    from with_region
    where completed_quarter is not null
    group by census_region, completed_quarter
)

select
    coalesce(enrolled.census_region, completed.census_region) as census_region,
    coalesce(enrolled.quarter, completed.quarter) as quarter,
    coalesce(enrolled.roster_enrolled, 0) as roster_enrolled,
    coalesce(completed.roster_completed, 0) as roster_completed
from enrolled
full outer join completed
    on
        enrolled.census_region = completed.census_region
        and enrolled.quarter = completed.quarter
