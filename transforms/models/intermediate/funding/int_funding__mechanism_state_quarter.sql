-- Pledge-counting obligations by mechanism, recipient state and quarter, dense from the first
-- quarter a mechanism-state pair received money to the release quarter, with running totals.
with obligations as (
    select * from {{ ref('int_funding__award_quarter_obligations') }}
),

quarters as (
    select * from {{ ref('int_calendar__quarters') }}
),

targets as (
    select * from {{ ref('program_targets') }}
),

counted as (
    select * from obligations
    where counts_toward_pledge
),

by_quarter as (
    select
        mechanism,
        recipient_state_code,
        quarter,
        sum(obligated_usd) as obligated_usd,
        sum(loan_face_value_usd) as loan_face_value_usd,
        count(distinct case when is_first_action_quarter then award_key end) as new_awards
    from counted
    group by mechanism, recipient_state_code, quarter
),

pairs as (
    select
        mechanism,
        recipient_state_code,
        min(quarter) as first_quarter
    from by_quarter
    group by mechanism, recipient_state_code
),

grid as (
    select
        pairs.mechanism,
        pairs.recipient_state_code,
        quarters.quarter,
        quarters.quarter_index
    from pairs
    inner join quarters on pairs.first_quarter <= quarters.quarter
    where quarters.is_reported
),

filled as (
    select
        grid.mechanism,
        grid.recipient_state_code,
        grid.quarter,
        grid.quarter_index,
        coalesce(by_quarter.obligated_usd, 0) as obligated_usd,
        coalesce(by_quarter.loan_face_value_usd, 0) as loan_face_value_usd,
        coalesce(by_quarter.new_awards, 0) as new_awards
    from grid
    left join by_quarter
        on
            grid.mechanism = by_quarter.mechanism
            and grid.recipient_state_code is not distinct from by_quarter.recipient_state_code
            and grid.quarter = by_quarter.quarter
),

cumulative as (
    select
        filled.*,
        sum(obligated_usd) over w as cumulative_obligated_usd,
        sum(loan_face_value_usd) over w as cumulative_loan_face_value_usd,
        sum(new_awards) over w as cumulative_awards
    from filled
    window w as (partition by mechanism, recipient_state_code order by quarter_index rows between unbounded preceding and current row)
)

select
    cumulative.mechanism,
    cumulative.recipient_state_code,
    cumulative.quarter,
    cumulative.obligated_usd,
    cumulative.loan_face_value_usd,
    cumulative.new_awards,
    cumulative.cumulative_obligated_usd,
    cumulative.cumulative_loan_face_value_usd,
    cumulative.cumulative_awards,
    targets.target_value as pledge_usd,
    cumulative.cumulative_obligated_usd / targets.target_value as cumulative_share_of_pledge
from cumulative
cross join targets
where targets.target_id = 'pledge_usd'
