-- Disclosure control inputs: how many domestic facilities make up each sector (and 'all') x
-- quarter throughput cell, and the share of the largest one in the cell's output.
with production as (
    select * from {{ ref('stg_supplier__weekly_production') }}
    where is_domestic
),

per_facility as (
    select
        sector,
        quarter,
        facility_id,
        sum(output_units) as output_units
    from production
    group by sector, quarter, facility_id
    union all
    select
        'all' as sector,
        quarter,
        facility_id,
        sum(output_units) as output_units
    from production
    group by quarter, facility_id
)

select
    sector,
    quarter,
    count(distinct facility_id) as contributor_count,
    cast(max(output_units) as double precision) / nullif(sum(output_units), 0) as top_contributor_share
from per_facility
group by sector, quarter
