with states as (
    select * from {{ ref('states') }}
)

select
    cast(state_code as varchar) as state_code,
    cast(state_name as varchar) as state_name,
    cast(state_fips as varchar) as state_fips,
    cast(census_region as varchar) as census_region,
    cast(census_division as varchar) as census_division,
    {{ quarter_columns(release_quarter()) }}
from states
