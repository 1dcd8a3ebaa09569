with entries as (
    select * from {{ ref('int_program__risk_entries') }}
)

select
    {{ quarter_columns('quarter') }},
    cast(risk_id as varchar) as risk_id,
    cast(report_date as date) as report_date,
    cast(category as varchar) as category,
    cast(facility_id as varchar) as facility_id,
    cast(metric as varchar) as metric,
    cast(measured_value as decimal(18, 2)) as measured_value,
    cast(threshold_value as decimal(18, 2)) as threshold_value,
    cast(unit as varchar) as unit,
    cast(breach_when as varchar) as breach_when,
    cast(is_breach as boolean) as is_breach,
    cast(report_recency = 1 as boolean) as is_latest_report
from entries
where {{ release_quarter_filter('quarter') }}
