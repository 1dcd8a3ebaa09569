-- Sector x quarter throughput of domestic facilities and its quarter-over-quarter gain.
-- avg weekly output = quarter output / weeks reported, so 13- and 14-week quarters compare fairly.
with sector_weeks as (
    select * from {{ ref('int_operations__sector_weeks') }}
),

quarters as (
    select * from {{ ref('int_calendar__quarters') }}
),

sectors as (
    select sector_code as sector from {{ ref('sectors') }}
    union all
    select 'all'
),

targets as (
    select * from {{ ref('program_targets') }}
),

grid as (
    select
        quarters.quarter,
        quarters.quarter_index,
        sectors.sector
    from quarters
    cross join sectors
    where quarters.is_reported
),

by_quarter as (
    select
        sector,
        quarter,
        count(distinct week_ending) as weeks_reported,
        max(facilities_reporting) as domestic_facilities_reporting,
        sum(output_units) as total_output_units,
        sum(design_capacity_units) as total_design_capacity_units,
        sum(defective_units) as total_defective_units
    from sector_weeks
    group by sector, quarter
),

measured as (
    select
        grid.sector,
        grid.quarter,
        grid.quarter_index,
        coalesce(by_quarter.domestic_facilities_reporting, 0) as domestic_facilities_reporting,
        coalesce(by_quarter.weeks_reported, 0) as weeks_reported,
        by_quarter.total_output_units,
        by_quarter.total_defective_units,
        cast(by_quarter.total_output_units as double precision) / nullif(by_quarter.weeks_reported, 0) as avg_weekly_output_units,
        cast(by_quarter.total_design_capacity_units as double precision)
        / nullif(by_quarter.weeks_reported, 0) as avg_weekly_design_capacity_units,
        cast(by_quarter.total_output_units as double precision) / nullif(by_quarter.total_design_capacity_units, 0) as utilization_rate,
        cast(by_quarter.total_defective_units as double precision) / nullif(by_quarter.total_output_units, 0) as defect_rate
    from grid
    left join by_quarter
        on
            grid.sector = by_quarter.sector
            and grid.quarter = by_quarter.quarter
),

with_gain as (
    select
        measured.*,
        lag(avg_weekly_output_units) over (partition by sector order by quarter_index) as prev_avg_weekly_output_units
    from measured
),

final as (
    select
        with_gain.sector,
        with_gain.quarter,
        with_gain.domestic_facilities_reporting,
        with_gain.weeks_reported,
        with_gain.total_output_units,
        with_gain.total_defective_units,
        with_gain.avg_weekly_output_units,
        with_gain.avg_weekly_design_capacity_units,
        with_gain.utilization_rate,
        with_gain.defect_rate,
        with_gain.prev_avg_weekly_output_units,
        with_gain.avg_weekly_output_units / nullif(with_gain.prev_avg_weekly_output_units, 0) - 1 as qoq_gain,
        targets.target_value as target_qoq_gain
    from with_gain
    cross join targets
    where targets.target_id = 'throughput_gain_per_quarter'
)

select
    *,
    case when qoq_gain is not null then qoq_gain >= target_qoq_gain end as on_track
from final
