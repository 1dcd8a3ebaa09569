-- Disclosure control inputs: how many facilities report the input value of each sector (and 'all')
-- x quarter cell, and the share of the largest one in the cell's input value.
with sourcing as (
    select * from {{ ref('stg_supplier__input_sourcing') }}
),

facilities as (
    select * from {{ ref('int_reference__facilities') }}
),

with_sector as (
    select
        facilities.sector,
        sourcing.quarter,
        sourcing.facility_id,
        sourcing.value_usd
    from sourcing
    inner join facilities on sourcing.facility_id = facilities.facility_id
),

per_facility as (
    select
        sector,
        quarter,
        facility_id,
        sum(value_usd) as value_usd
    from with_sector
    group by sector, quarter, facility_id
    union all
    select
        'all' as sector,
        quarter,
        facility_id,
        sum(value_usd) as value_usd
    from with_sector
    group by quarter, facility_id
)

select
    sector,
    quarter,
    count(distinct facility_id) as contributor_count,
    cast(max(value_usd) as double precision) / nullif(sum(value_usd), 0) as top_contributor_share
from per_facility
group by sector, quarter
