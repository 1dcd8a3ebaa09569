-- Input value per sector (and 'all'), quarter and origin country. Domestic = US origin.
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
        sourcing.origin_country_iso2,
        sourcing.value_usd
    from sourcing
    inner join facilities on sourcing.facility_id = facilities.facility_id
),

by_sector as (
    select
        sector,
        quarter,
        origin_country_iso2,
        sum(value_usd) as value_usd
    from with_sector
    group by sector, quarter, origin_country_iso2
),

national as (
    select
        'all' as sector,
        quarter,
        origin_country_iso2,
        sum(value_usd) as value_usd
    from with_sector
    group by quarter, origin_country_iso2
),

unioned as (
    select * from by_sector
    union all
    select * from national
)

select
    *,
    origin_country_iso2 = 'US' as is_domestic_origin
from unioned
