with mines as (
    select * from {{ ref('int_funding__mines_upgraded_by_quarter') }}
)

select
    {{ quarter_columns('quarter') }},
    cast(mines_upgraded as integer) as mines_upgraded,
    cast(mines_newly_upgraded as integer) as mines_newly_upgraded,
    cast(mines_upgraded_target_min as integer) as mines_upgraded_target_min,
    cast(mines_upgraded_target_max as integer) as mines_upgraded_target_max,
    cast(range_status as varchar) as range_status
from mines
where {{ release_quarter_filter('quarter') }}
