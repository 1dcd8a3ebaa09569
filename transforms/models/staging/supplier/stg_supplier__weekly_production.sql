with source as (
    select * from {{ source('supplier', 'weekly_production') }}
),

renamed as (
    select
        upper(trim(facility_id)) as facility_id,
        nullif(trim(facility_name), '') as facility_name,
        upper(trim(state_code)) as state_code,
        week_ending,
        {{ quarter_key('week_ending') }} as quarter,
        lower(trim(sector)) as sector,
        trim(commodity) as commodity,
        nullif(trim(end_use), '') as end_use,
        cast(output_units as decimal(18, 2)) as output_units,
        cast(design_capacity_units as decimal(18, 2)) as design_capacity_units,
        cast(defective_units as decimal(18, 2)) as defective_units,
        is_domestic,
        _source_file,
        _source_line,
        _load_id,
        _loaded_at
    from {{ dedupe_latest_load('source', ['facility_id', 'week_ending']) }}
)

select * from renamed
