-- The actual value of every program target in every reported quarter, each from the model that
-- computes it. Targets without data in a quarter get no row (the scorecard reports no_data).
with throughput as (
    select * from {{ ref('int_operations__sector_quarter_throughput') }}
),

diversification as (
    select * from {{ ref('int_chains__sector_quarter_diversification') }}
),

line_status as (
    select * from {{ ref('int_deployment__line_status_by_quarter') }}
),

workforce as (
    select * from {{ ref('int_workforce__quarter_impact') }}
),

mines as (
    select * from {{ ref('int_funding__mines_upgraded_by_quarter') }}
),

awards as (
    select * from {{ ref('int_funding__awards') }}
),

obligations as (
    select * from {{ ref('int_funding__award_quarter_obligations') }}
),

quarters as (
    select * from {{ ref('int_calendar__quarters') }}
),

countries as (
    select * from {{ ref('countries') }}
),

reported_quarters as (
    select quarter from quarters
    where is_reported
),

pledge_projects as (
    select
        awards.project_id,
        awards.project_type,
        coalesce(countries.is_africa, false) as has_africa_partner,
        min(awards.first_action_quarter) as first_funded_quarter
    from awards
    left join countries on awards.partner_country_iso2 = countries.country_iso2
    where awards.counts_toward_pledge
    group by awards.project_id, awards.project_type, coalesce(countries.is_africa, false)
),

actuals as (
    select
        'throughput_gain_per_quarter' as target_id,
        quarter,
        qoq_gain as actual_value
    from throughput
    where sector = 'all' and qoq_gain is not null

    union all
    select
        'domestic_input_share' as target_id,
        quarter,
        domestic_input_share as actual_value
    from diversification
    where sector = 'all' and domestic_input_share is not null

    union all
    select
        'deployment_within_months' as target_id,
        quarter,
        {{ median('months_to_operational') }} as actual_value
    from line_status
    where is_operational
    group by quarter

    union all
    select
        'pilot_lines_operational' as target_id,
        quarter,
        count(case when is_pilot and is_operational then 1 end) as actual_value
    from line_status
    group by quarter

    union all
    select
        'trainees' as target_id,
        quarter,
        cumulative_completed as actual_value
    from workforce

    union all
    select
        'expert_team_growth' as target_id,
        quarter,
        expert_team_growth as actual_value
    from workforce
    where expert_team_growth is not null

    union all
    select
        'mines_upgraded_min' as target_id,
        quarter,
        mines_upgraded as actual_value
    from mines

    union all
    select
        'mines_upgraded_max' as target_id,
        quarter,
        mines_upgraded as actual_value
    from mines

    union all
    select
        'africa_collaborations' as target_id,
        reported_quarters.quarter,
        count(distinct pledge_projects.project_id) as actual_value
    from reported_quarters
    left join pledge_projects
        on
            pledge_projects.has_africa_partner
            and reported_quarters.quarter >= pledge_projects.first_funded_quarter
    group by reported_quarters.quarter

    union all
    select
        'recycling_loops_integrated' as target_id,
        reported_quarters.quarter,
        count(distinct pledge_projects.project_id) as actual_value
    from reported_quarters
    left join pledge_projects
        on
            pledge_projects.project_type = 'recycling'
            and reported_quarters.quarter >= pledge_projects.first_funded_quarter
    group by reported_quarters.quarter

    union all
    select
        'pledge_usd' as target_id,
        reported_quarters.quarter,
        coalesce(sum(obligations.obligated_usd), 0) as actual_value
    from reported_quarters
    left join obligations
        on
            obligations.counts_toward_pledge
            and reported_quarters.quarter >= obligations.quarter
    group by reported_quarters.quarter
)

select
    target_id,
    quarter,
    cast(actual_value as double precision) as actual_value
from actuals
