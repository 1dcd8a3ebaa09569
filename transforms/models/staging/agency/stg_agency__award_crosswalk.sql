-- The crosswalk is re-issued whole; for each award keep the latest issue (report_date), then the latest
-- load, so a late correction of an old issue cannot overwrite a newer one.
with source as (
    select * from {{ source('agency', 'award_crosswalk') }}
),

renamed as (
    select
        trim(award_unique_key) as award_key,
        trim(project_id) as project_id,
        nullif(trim(project_name), '') as project_name,
        lower(trim(project_type)) as project_type,
        upper(trim(facility_id)) as facility_id,
        lower(trim(sector)) as sector,
        nullif(trim(mineral), '') as mineral,
        upgrades_mine,
        nullif(upper(trim(partner_country_iso)), '') as partner_country_iso2,
        report_date,
        {{ quarter_key('report_date') }} as report_quarter,
        _source_file,
        _source_line,
        _load_id,
        _loaded_at
    from source
    {{ dedupe_latest_load(['award_unique_key'], order_first='report_date') }}
)

select * from renamed
