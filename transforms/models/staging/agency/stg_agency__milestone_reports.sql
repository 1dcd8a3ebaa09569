with source as (
    select * from {{ source('agency', 'milestone_reports') }}
),

renamed as (
    select
        upper(trim(milestone_id)) as milestone_id,
        trim(milestone_name) as milestone_name,
        cast(phase as integer) as phase,
        target_date,
        {{ quarter_key('target_date') }} as target_quarter,
        lower(trim(status)) as status,
        completed_date,
        report_date,
        {{ quarter_key('report_date') }} as report_quarter,
        _source_file,
        _source_line,
        _load_id,
        _loaded_at
    from {{ dedupe_latest_load('source', ['milestone_id', 'report_date']) }}
)

select * from renamed
