-- Output of domestic facilities per sector and reporting week, plus an 'all' row per week for the
-- national figure. Throughput is measured on domestic facilities (the program's purpose).
with production as (
    select * from {{ ref('stg_supplier__weekly_production') }}
),

domestic as (
    select * from production
    where is_domestic
),

by_sector as (
    select
        sector,
        quarter,
        week_ending,
        count(distinct facility_id) as facilities_reporting,
        sum(output_units) as output_units,
        sum(design_capacity_units) as design_capacity_units,
        sum(defective_units) as defective_units
    from domestic
    group by sector, quarter, week_ending
),

national as (
    select
        'all' as sector,
        quarter,
        week_ending,
        count(distinct facility_id) as facilities_reporting,
        sum(output_units) as output_units,
        sum(design_capacity_units) as design_capacity_units,
        sum(defective_units) as defective_units
    from domestic
    group by quarter, week_ending
)

select * from by_sector
union all
select * from national
