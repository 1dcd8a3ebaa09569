-- Risk register entries with the breach rule applied: value above (or below) the threshold.
with entries as (
    select * from {{ ref('stg_agency__risk_register') }}
)

select
    risk_id,
    report_date,
    report_quarter as quarter,
    category,
    facility_id,
    metric,
    measured_value,
    threshold_value,
    unit,
    breach_when,
    case breach_when
        when 'above' then measured_value > threshold_value
        when 'below' then measured_value < threshold_value
    end as is_breach,
    row_number() over (partition by risk_id order by report_date desc) as report_recency
from entries
where {{ release_quarter_filter('report_quarter') }}
