with target_status as (
    select * from {{ ref('int_program__target_status') }}
)

select
    {{ quarter_columns('quarter') }},
    cast(target_id as varchar) as target_id,
    cast(indicator as varchar) as indicator,
    cast(unit as varchar) as unit,
    cast(direction as varchar) as direction,
    cast(tracking as varchar) as tracking,
    cast(due_quarter as varchar) as due_quarter,
    cast(target_value as double precision) as target_value,
    cast(baseline_value as double precision) as baseline_value,
    cast(expected_value as double precision) as expected_value,
    cast(actual_value as double precision) as actual_value,
    cast(status as varchar) as status
from target_status
where {{ release_quarter_filter('quarter') }}
