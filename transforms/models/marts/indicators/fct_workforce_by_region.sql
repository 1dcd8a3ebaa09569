-- Census region x quarter. Wages: completer-weighted mean of the recipients' reported median hourly wages.
with reports as (
    select * from {{ ref('int_workforce__training_reports') }}
),

roster as (
    select * from {{ ref('int_workforce__roster_region_quarter') }}
),

quarters as (
    select * from {{ ref('int_calendar__quarters') }}
),

states as (
    select distinct census_region from {{ ref('states') }}
),

grid as (
    select
        quarters.quarter,
        states.census_region
    from quarters
    cross join states
    where quarters.is_reported
),

by_region as (
    select
        census_region,
        quarter,
        sum(enrolled) as enrolled,
        sum(completed) as completed,
        cast(sum(median_wage_before_usd * completed) as double precision)
        / nullif(sum(case when median_wage_before_usd is not null then completed end), 0) as median_wage_before_usd,
        cast(sum(median_wage_after_usd * completed) as double precision)
        / nullif(sum(case when median_wage_after_usd is not null then completed end), 0) as median_wage_after_usd
    from reports
    group by census_region, quarter
),

joined as (
    select
        grid.quarter,
        grid.census_region,
        coalesce(by_region.enrolled, 0) as enrolled,
        coalesce(by_region.completed, 0) as completed,
        by_region.median_wage_before_usd,
        by_region.median_wage_after_usd,
        coalesce(roster.roster_enrolled, 0) as roster_enrolled,
        coalesce(roster.roster_completed, 0) as roster_completed
    from grid
    left join by_region
        on
            grid.census_region = by_region.census_region
            and grid.quarter = by_region.quarter
    left join roster
        on
            grid.census_region = roster.census_region
            and grid.quarter = roster.quarter
),

final as (
    select
        joined.*,
        cast(completed as double precision) / nullif(sum(completed) over (partition by quarter), 0) as share_of_completed,
        median_wage_after_usd - median_wage_before_usd as wage_gain_usd,
        median_wage_after_usd / nullif(median_wage_before_usd, 0) - 1 as wage_gain_pct
    from joined
),

contributors as (
    select * from {{ ref('int_workforce__region_quarter_contributors') }}
)

select
    {{ quarter_columns('quarter') }},
    cast(census_region as varchar) as census_region,
    cast(enrolled as bigint) as enrolled,
    cast(completed as bigint) as completed,
    cast(share_of_completed as double precision) as share_of_completed,
    cast(median_wage_before_usd as double precision) as median_wage_before_usd,
    cast(median_wage_after_usd as double precision) as median_wage_after_usd,
    cast(wage_gain_usd as double precision) as wage_gain_usd,
    cast(wage_gain_pct as double precision) as wage_gain_pct,
    cast(roster_enrolled as bigint) as roster_enrolled,
    cast(roster_completed as bigint) as roster_completed,
    cast(coalesce(contributors.contributor_count, 0) as integer) as contributor_count,
    cast(contributors.top_contributor_share as double precision) as top_contributor_share
from final
left join contributors using (census_region, quarter)
where {{ release_quarter_filter('quarter') }}
