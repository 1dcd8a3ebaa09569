with impact as (
    select * from {{ ref('int_workforce__quarter_impact') }}
)

select
    {{ quarter_columns('quarter') }},
    cast(recipients_reporting as integer) as recipients_reporting,
    cast(enrolled as bigint) as enrolled,
    cast(completed as bigint) as completed,
    cast(cumulative_completed as bigint) as cumulative_completed,
    cast(trainees_target as double precision) as trainees_target,
    cast(trainees_pace_target as double precision) as trainees_pace_target,
    cast(trainees_on_track as boolean) as trainees_on_track,
    cast(upskilling_packages as bigint) as upskilling_packages,
    cast(cumulative_upskilling_packages as bigint) as cumulative_upskilling_packages,
    cast(expert_team_headcount as bigint) as expert_team_headcount,
    cast(baseline_expert_team_headcount as bigint) as baseline_expert_team_headcount,
    cast(expert_team_growth as double precision) as expert_team_growth,
    cast(expert_team_growth_target as double precision) as expert_team_growth_target,
    cast(expert_team_target_met as boolean) as expert_team_target_met
from impact
where {{ release_quarter_filter('quarter') }}
