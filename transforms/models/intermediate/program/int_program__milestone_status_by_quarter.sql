-- Each milestone's latest reported status as of the end of each reported quarter, with slippage.
-- Slippage is measured against the report's target date: completed milestones slip by
-- completed_date - target_date (negative = early); open ones by how far the quarter end is past the
-- target date (0 while not yet due).
with reports as (
    select * from {{ ref('stg_agency__milestone_reports') }}
),

quarters as (
    select * from {{ ref('int_calendar__quarters') }}
),

phases as (
    select * from {{ ref('program_phases') }}
),

as_of as (
    {{ latest_report_as_of_quarter_end('reports', 'milestone_id') }}
),

final as (
    select
        as_of.quarter,
        as_of.milestone_id,
        as_of.milestone_name,
        as_of.phase,
        phases.phase_name,
        phases.planned_quarter as phase_planned_quarter,
        as_of.target_date,
        as_of.target_quarter,
        as_of.status,
        as_of.completed_date,
        as_of.report_date as status_report_date,
        as_of.status = 'complete' as is_complete,
        case
            when as_of.status = 'complete' and as_of.completed_date is not null
                then {{ dbt.datediff('as_of.target_date', 'as_of.completed_date', 'day') }}
            else greatest({{ dbt.datediff('as_of.target_date', 'as_of.quarter_end', 'day') }}, 0)
        end as slippage_days,
        case
            when as_of.status = 'complete' and as_of.completed_date is not null
                then {{ quarter_index(quarter_key('as_of.completed_date')) }} - {{ quarter_index('as_of.target_quarter') }}
            else greatest({{ quarter_index('as_of.quarter') }} - {{ quarter_index('as_of.target_quarter') }}, 0)
        end as slippage_quarters
    from as_of
    left join phases on as_of.phase = phases.phase
)

select * from final
