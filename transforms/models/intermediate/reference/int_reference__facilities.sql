-- Facility attributes as of the release quarter: the latest weekly production report gives name, state,
-- sector and domestic flag; the crosswalk and line announcements fill the sector of facilities that do
-- not (yet) report production.
with production as (
    select * from {{ ref('stg_supplier__weekly_production') }}
),

crosswalk as (
    select * from {{ ref('stg_agency__award_crosswalk') }}
),

lines as (
    select * from {{ ref('stg_supplier__line_announcements') }}
),

states as (
    select * from {{ ref('states') }}
),

latest_production as (
    select * from (
        select
            facility_id,
            facility_name,
            state_code,
            sector,
            is_domestic,
            quarter as last_reported_quarter,
            row_number() over (partition by facility_id order by week_ending desc) as _qualify_value
        from production
        where {{ release_quarter_filter('quarter') }}
    ) as qualified
    where qualified._qualify_value = 1
),

crosswalk_sector as (
    select * from (
        select
            facility_id,
            sector,
            row_number() over (partition by facility_id order by report_date desc, award_key asc) as _qualify_value
        from crosswalk
        where report_date <= {{ release_quarter_end() }}
    ) as qualified
    where qualified._qualify_value = 1
),

line_sector as (
    select * from (
        select
            facility_id,
            sector,
            row_number() over (partition by facility_id order by report_date desc, line_id asc) as _qualify_value
        from lines
        where report_date <= {{ release_quarter_end() }}
    ) as qualified
    where qualified._qualify_value = 1
),

facility_ids as (
    select facility_id from latest_production
    union
    select facility_id from crosswalk_sector
    union
    select facility_id from line_sector
),

facilities as (
    select
        facility_ids.facility_id,
        latest_production.facility_name,
        latest_production.state_code,
        states.census_region,
        coalesce(latest_production.sector, crosswalk_sector.sector, line_sector.sector) as sector,
        latest_production.is_domestic,
        latest_production.last_reported_quarter
    from facility_ids
    left join latest_production on facility_ids.facility_id = latest_production.facility_id
    left join crosswalk_sector on facility_ids.facility_id = crosswalk_sector.facility_id
    left join line_sector on facility_ids.facility_id = line_sector.facility_id
    left join states on latest_production.state_code = states.state_code
)

select * from facilities
