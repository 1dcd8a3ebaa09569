with spine as (
    select * from {{ ref('int_calendar__quarter_spine') }}
),

quarters as (
    select
        quarter,
        {{ quarter_start('quarter') }} as quarter_start,
        {{ quarter_end('quarter') }} as quarter_end,
        {{ fiscal_year('quarter') }} as fiscal_year,
        {{ fiscal_quarter('quarter') }} as fiscal_quarter,
        {{ fiscal_key('quarter') }} as fiscal_key,
        {{ quarter_index('quarter') }} as quarter_index,
        {{ quarter_index('quarter') }} - {{ quarter_index("'" ~ var('program_first_quarter') ~ "'") }} + 1 as program_quarter_number,
        quarter >= '{{ var("program_first_quarter") }}' and {{ release_quarter_filter('quarter') }} as is_reported
    from spine
)

select * from quarters
