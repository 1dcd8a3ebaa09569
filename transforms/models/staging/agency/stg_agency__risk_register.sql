with source as (
    select * from {{ source('agency', 'risk_register') }}
),

renamed as (
    select
        upper(trim(risk_id)) as risk_id,
        lower(trim(category)) as category,
        upper(trim(facility_id)) as facility_id,
        trim(metric) as metric,
        cast(value as decimal(18, 2)) as measured_value,
        cast(threshold as decimal(18, 2)) as threshold_value,
        nullif(trim(unit), '') as unit,
        lower(trim(breach_when)) as breach_when,
        report_date,
        {{ quarter_key('report_date') }} as report_quarter,
        _source_file,
        _source_line,
        _load_id,
        _loaded_at
    from {{ dedupe_latest_load('source', ['risk_id', 'report_date']) }}
)

select * from renamed
