with awards as (
    select * from {{ ref('int_funding__awards') }}
)

select
    cast(award_key as varchar) as award_key,
    {{ quarter_columns('first_action_quarter') }},
    cast(award_layout as varchar) as award_layout,
    cast(type_code as varchar) as type_code,
    cast(mechanism as varchar) as mechanism,
    cast(awarding_agency_code as varchar) as awarding_agency_code,
    cast(recipient_uei as varchar) as recipient_uei,
    cast(recipient_name as varchar) as recipient_name,
    cast(recipient_state_code as varchar) as recipient_state_code,
    cast(first_action_date as date) as first_action_date,
    cast(obligated_usd as decimal(18, 2)) as obligated_usd,
    cast(loan_face_value_usd as decimal(18, 2)) as loan_face_value_usd,
    cast(project_id as varchar) as project_id,
    cast(project_type as varchar) as project_type,
    cast(facility_id as varchar) as facility_id,
    cast(sector as varchar) as sector,
    cast(upgrades_mine as boolean) as upgrades_mine,
    cast(partner_country_iso2 as varchar) as partner_country_iso2,
    cast(is_doe_award as boolean) as is_doe_award,
    cast(is_in_crosswalk as boolean) as is_in_crosswalk,
    cast(is_pledge_mechanism as boolean) as is_pledge_mechanism,
    cast(counts_toward_pledge as boolean) as counts_toward_pledge
from awards
where {{ release_quarter_filter('first_action_quarter') }}
