-- Mines upgraded: distinct facilities with a mine-upgrade project (crosswalk upgrades_mine) funded by
-- an award that counts toward the pledge, counted from the quarter of the award's first action.
-- The feeds carry no upgrade completion date, so "upgraded" means "upgrade funded".
with awards as (
    select * from {{ ref('int_funding__awards') }}
),

quarters as (
    select * from {{ ref('int_calendar__quarters') }}
),

targets as (
    select * from {{ ref('program_targets') }}
),

mine_awards as (
    select
        facility_id,
        min(first_action_quarter) as first_funded_quarter
    from awards
    where counts_toward_pledge and upgrades_mine
    group by facility_id
),

by_quarter as (
    select
        quarters.quarter,
        count(mine_awards.facility_id) as mines_upgraded,
        count(case when mine_awards.first_funded_quarter = quarters.quarter then 1 end) as mines_newly_upgraded
    from quarters
    left join mine_awards on quarters.quarter >= mine_awards.first_funded_quarter
    where quarters.is_reported
    group by quarters.quarter
)

select
    by_quarter.quarter,
    by_quarter.mines_upgraded,
    by_quarter.mines_newly_upgraded,
    min_target.target_value as mines_upgraded_target_min,
    max_target.target_value as mines_upgraded_target_max,
    case
        when by_quarter.mines_upgraded < min_target.target_value then 'below_range'
        when by_quarter.mines_upgraded > max_target.target_value then 'above_range'
        else 'in_range'
    end as range_status
from by_quarter
cross join targets as min_target
cross join targets as max_target
where
    min_target.target_id = 'mines_upgraded_min'
    and max_target.target_id = 'mines_upgraded_max'
