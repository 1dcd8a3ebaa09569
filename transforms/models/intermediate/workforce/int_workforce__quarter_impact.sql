-- National workforce impact per reported quarter: trainees against the linear pace to the trainees
-- target, upskilling packages, and expert-team headcount growth over the baseline quarter
-- (the expert_team_growth target's start_quarter).
with reports as (
    select * from {{ ref('int_workforce__training_reports') }}
),

quarters as (
    select * from {{ ref('int_calendar__quarters') }}
),

targets as (
    select * from {{ ref('program_targets') }}
),

trainee_target as (
    select
        target_value,
        start_quarter,
        due_quarter,
        {{ quarter_index('due_quarter') }} - {{ quarter_index('start_quarter') }} + 1 as target_quarters
    from targets
    where target_id = 'trainees'
),

expert_target as (
    select
        target_value,
        start_quarter
    from targets
    where target_id = 'expert_team_growth'
),

by_quarter as (
    select
        quarter,
        count(distinct recipient_org_id) as recipients_reporting,
        sum(enrolled) as enrolled,
        sum(completed) as completed,
        sum(upskilling_packages) as upskilling_packages,
        sum(expert_team_headcount) as expert_team_headcount
    from reports
    group by quarter
),

grid as (
    select
        quarters.quarter,
        quarters.quarter_index,
        coalesce(by_quarter.recipients_reporting, 0) as recipients_reporting,
        coalesce(by_quarter.enrolled, 0) as enrolled,
        coalesce(by_quarter.completed, 0) as completed,
        coalesce(by_quarter.upskilling_packages, 0) as upskilling_packages,
        by_quarter.expert_team_headcount
    from quarters
    left join by_quarter on quarters.quarter = by_quarter.quarter
    where quarters.is_reported
),

cumulative as (
    select
        grid.*,
        sum(completed) over (order by quarter_index rows between unbounded preceding and current row) as cumulative_completed,
        sum(upskilling_packages)
            over (order by quarter_index rows between unbounded preceding and current row)
            as cumulative_upskilling_packages
    from grid
),

baseline as (
    select grid.expert_team_headcount as baseline_expert_team_headcount
    from grid
    inner join expert_target on grid.quarter = expert_target.start_quarter
),

final as (
    select
        cumulative.quarter,
        cumulative.recipients_reporting,
        cumulative.enrolled,
        cumulative.completed,
        cumulative.cumulative_completed,
        trainee_target.target_value as trainees_target,
        trainee_target.target_value
        * least(
            greatest(cumulative.quarter_index - {{ quarter_index('trainee_target.start_quarter') }} + 1, 0), trainee_target.target_quarters
        )
        / trainee_target.target_quarters as trainees_pace_target,
        cumulative.upskilling_packages,
        cumulative.cumulative_upskilling_packages,
        cumulative.expert_team_headcount,
        baseline.baseline_expert_team_headcount,
        cast(cumulative.expert_team_headcount as double precision) / nullif(baseline.baseline_expert_team_headcount, 0)
        - 1 as expert_team_growth,
        expert_target.target_value as expert_team_growth_target
    from cumulative
    cross join trainee_target
    cross join expert_target
    left join baseline on true
)

select
    *,
    cumulative_completed >= trainees_pace_target as trainees_on_track,
    case when expert_team_growth is not null then expert_team_growth >= expert_team_growth_target end as expert_team_target_met
from final
