with quarters as (
    select * from {{ ref('int_calendar__quarters') }}
)

select
    {{ quarter_columns('quarter') }},
    cast(fiscal_key as varchar) as fiscal_key,
    cast(quarter_start as date) as quarter_start,
    cast(quarter_end as date) as quarter_end,
    cast(program_quarter_number as integer) as program_quarter_number
from quarters
where {{ release_quarter_filter('quarter') }}
