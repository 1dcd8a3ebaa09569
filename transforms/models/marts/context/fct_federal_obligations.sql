-- Federal contract obligations from every landed USAspending download (DOE and other agencies:
-- is_pledge_agency tells them apart) by mechanism, awarding agency, recipient state and quarter
-- of the action date. De-obligations (negative amounts) are netted in and also shown apart.
with obligations as (
    select * from {{ ref('int_public__contract_obligations') }}
    where {{ release_quarter_filter('quarter') }}
),

grouped as (
    select
        mechanism,
        awarding_agency_code,
        -- one name per agency code in USAspending; min is the portable, deterministic pick
        min(awarding_agency_name) as awarding_agency_name,
        bool_or(is_pledge_agency) as is_pledge_agency,
        recipient_state_code,
        quarter,
        count(*) as transactions,
        count(distinct contract_award_key) as awards,
        sum(federal_action_obligation_usd) as obligations_usd,
        sum(case when federal_action_obligation_usd < 0 then federal_action_obligation_usd else 0 end)
            as deobligations_usd
    from obligations
    group by mechanism, awarding_agency_code, recipient_state_code, quarter
)

select
    cast(mechanism as varchar) as mechanism,
    cast(awarding_agency_code as varchar) as awarding_agency_code,
    cast(awarding_agency_name as varchar) as awarding_agency_name,
    cast(is_pledge_agency as boolean) as is_pledge_agency,
    cast(recipient_state_code as varchar) as recipient_state_code,
    {{ quarter_columns('quarter') }},
    cast(transactions as bigint) as transactions,
    cast(awards as bigint) as awards,
    cast(obligations_usd as decimal(18, 2)) as obligations_usd,
    cast(deobligations_usd as decimal(18, 2)) as deobligations_usd
from grouped
