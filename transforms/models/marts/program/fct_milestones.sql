with milestone_status as (
    select * from {{ ref('int_program__milestone_status_by_quarter') }}
)

select
    {{ quarter_columns('quarter') }},
    cast(milestone_id as varchar) as milestone_id,
    cast(milestone_name as varchar) as milestone_name,
    cast(phase as integer) as phase,
    cast(phase_name as varchar) as phase_name,
    cast(phase_planned_quarter as varchar) as phase_planned_quarter,
    cast(target_date as date) as target_date,
    cast(target_quarter as varchar) as target_quarter,
    cast(status as varchar) as status,
    cast(is_complete as boolean) as is_complete,
    cast(completed_date as date) as completed_date,
    cast(status_report_date as date) as status_report_date,
    cast(slippage_days as integer) as slippage_days,
    cast(slippage_quarters as integer) as slippage_quarters,
    cast(quarter = {{ release_quarter() }} as boolean) as is_release_quarter
from milestone_status
where {{ release_quarter_filter('quarter') }}
