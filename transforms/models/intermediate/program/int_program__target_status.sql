-- Judge every target in every reported quarter from its start quarter on (tracking rules in the
-- program_targets seed):
--   per_quarter     met when the quarter's actual reaches the value, else off_track
--   linear_pace     expected = value x quarters elapsed / quarters to due (from zero); met when the
--                   value is reached, on_track when at or above the expected value, else off_track
--   trajectory      expected moves linearly from the start-quarter actual to the value at due
--   by_due_quarter  met when reached, on_track until the due quarter, off_track after it
-- "Reached" is actual >= value for at_least targets and actual <= value for at_most ones.
-- A quarter without an actual is no_data.
with targets as (
    select * from {{ ref('program_targets') }}
),

actuals as (
    select * from {{ ref('int_program__target_actuals') }}
),

quarters as (
    select * from {{ ref('int_calendar__quarters') }}
),

grid as (
    select
        targets.*,
        quarters.quarter,
        quarters.quarter_index - {{ quarter_index('targets.start_quarter') }} as quarters_elapsed,
        {{ quarter_index('targets.due_quarter') }} - {{ quarter_index('targets.start_quarter') }} as quarters_to_due
    from targets
    inner join quarters on targets.start_quarter <= quarters.quarter
    where quarters.is_reported
),

baselines as (
    select
        grid.target_id,
        actuals.actual_value as baseline_value
    from grid
    inner join actuals
        on
            grid.target_id = actuals.target_id
            and grid.start_quarter = actuals.quarter
    where grid.quarter = grid.start_quarter
),

joined as (
    select
        grid.*,
        actuals.actual_value,
        case when grid.tracking = 'trajectory' then baselines.baseline_value end as baseline_value,
        case grid.tracking
            when 'linear_pace' then grid.target_value * least((grid.quarters_elapsed + 1.0) / (grid.quarters_to_due + 1), 1.0)
            when 'trajectory'
                then
                    baselines.baseline_value
                    + (grid.target_value - baselines.baseline_value)
                    * least(cast(grid.quarters_elapsed as double precision) / nullif(grid.quarters_to_due, 0), 1.0)
            else grid.target_value
        end as expected_value
    from grid
    left join actuals
        on
            grid.target_id = actuals.target_id
            and grid.quarter = actuals.quarter
    left join baselines on grid.target_id = baselines.target_id
),

judged as (
    select
        joined.*,
        case
            when direction = 'at_most' then actual_value <= target_value
            else actual_value >= target_value
        end as is_reached,
        case
            when direction = 'at_most' then actual_value <= expected_value
            else actual_value >= expected_value
        end as is_at_pace
    from joined
)

select
    target_id,
    indicator,
    quarter,
    target_value,
    unit,
    direction,
    tracking,
    start_quarter,
    due_quarter,
    baseline_value,
    expected_value,
    actual_value,
    case
        when actual_value is null then 'no_data'
        when is_reached then 'met'
        when tracking = 'per_quarter' then 'off_track'
        when tracking = 'by_due_quarter' then case when quarter <= due_quarter then 'on_track' else 'off_track' end
        when is_at_pace and quarter <= due_quarter then 'on_track'
        else 'off_track'
    end as status
from judged
