with throughput as (
    select * from {{ ref('int_operations__sector_quarter_throughput') }}
),

contributors as (
    select * from {{ ref('int_operations__sector_quarter_contributors') }}
)

select
    {{ quarter_columns('quarter') }},
    cast(sector as varchar) as sector,
    cast(domestic_facilities_reporting as integer) as domestic_facilities_reporting,
    cast(weeks_reported as integer) as weeks_reported,
    cast(total_output_units as decimal(18, 2)) as total_output_units,
    cast(avg_weekly_output_units as double precision) as avg_weekly_output_units,
    cast(avg_weekly_design_capacity_units as double precision) as avg_weekly_design_capacity_units,
    cast(utilization_rate as double precision) as utilization_rate,
    cast(defect_rate as double precision) as defect_rate,
    cast(prev_avg_weekly_output_units as double precision) as prev_avg_weekly_output_units,
    cast(qoq_gain as double precision) as qoq_gain,
    cast(target_qoq_gain as double precision) as target_qoq_gain,
    cast(on_track as boolean) as on_track,
    cast(coalesce(contributors.contributor_count, 0) as integer) as contributor_count,
    cast(contributors.top_contributor_share as double precision) as top_contributor_share
from throughput
left join contributors using (sector, quarter)
where {{ release_quarter_filter('quarter') }}
