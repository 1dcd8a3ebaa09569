with source as (
    select * from {{ source('supplier', 'input_sourcing') }}
),

renamed as (
    select
        upper(trim(facility_id)) as facility_id,
        upper(trim(quarter)) as quarter,
        trim(input_commodity) as input_commodity,
        upper(trim(supplier_id)) as supplier_id,
        nullif(trim(supplier_name), '') as supplier_name,
        upper(trim(origin_country_iso)) as origin_country_iso2,
        cast(quantity as decimal(18, 2)) as quantity,
        nullif(trim(quantity_unit), '') as quantity_unit,
        cast(value_usd as decimal(18, 2)) as value_usd,
        _source_file,
        _source_line,
        _load_id,
        _loaded_at
    from {{ dedupe_latest_load('source', ['facility_id', 'quarter', 'input_commodity', 'supplier_id']) }}
)

select * from renamed
