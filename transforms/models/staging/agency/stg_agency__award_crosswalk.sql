-- The crosswalk is re-issued whole every quarter. Keep every issue (award x report_date, latest load
-- of each) so later layers read the crosswalk as of a release quarter.
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
    from {{ dedupe_latest_load('source', ['award_unique_key', 'report_date']) }}
)

select * from renamed
