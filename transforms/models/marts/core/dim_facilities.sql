with facilities as (
    select * from {{ ref('int_reference__facilities') }}
)

select
    cast(facility_id as varchar) as facility_id,
    cast(facility_name as varchar) as facility_name,
    cast(state_code as varchar) as state_code,
    cast(census_region as varchar) as census_region,
    cast(sector as varchar) as sector,
    cast(is_domestic as boolean) as is_domestic,
    cast(last_reported_quarter as varchar) as last_reported_quarter,
    {{ quarter_columns(release_quarter()) }}
from facilities
