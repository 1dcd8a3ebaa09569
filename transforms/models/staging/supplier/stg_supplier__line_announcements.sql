with source as (
    select * from {{ source('supplier', 'line_announcements') }}
),

renamed as (
    select
        upper(trim(line_id)) as line_id,
        upper(trim(facility_id)) as facility_id,
        lower(trim(sector)) as sector,
        is_pilot,
        announced_date,
        {{ quarter_key('announced_date') }} as announced_quarter,
        deployment_plan_date,
        operational_date,
        report_date,
        {{ quarter_key('report_date') }} as report_quarter,
        _source_file,
        _source_line,
        _load_id,
        _loaded_at
    from {{ dedupe_latest_load('source', ['line_id', 'report_date']) }}
)

select * from renamed
