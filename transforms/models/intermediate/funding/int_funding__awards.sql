-- One row per award (assistance award or contract award) with its funding mechanism and whether it
-- counts toward the pledge. Pledge rule: awarded by DOE (agency code var pledge_agency_code = 089),
-- listed in the program's award crosswalk, and of one of the pledge's three mechanisms (grant, loan,
-- procurement_incentive; funding_mechanisms.counts_toward_pledge).
-- Everything is as of the release quarter's end: the latest award summary version and crosswalk issue
-- on or before it, and contract transactions up to it.
with assistance as (
    select * from {{ ref('stg_agency__assistance_awards') }}
),

contract_transactions as (
    select * from {{ ref('stg_agency__contract_transactions') }}
),

crosswalk as (
    select * from {{ ref('stg_agency__award_crosswalk') }}
),

mechanisms as (
    select * from {{ ref('funding_mechanisms') }}
),

assistance_as_of as (
    select * from (
        select
            *,
            row_number() over (partition by assistance_award_key order by version_date desc) as _qualify_value
        from assistance
        where version_date <= {{ release_quarter_end() }}
    ) as qualified
    where qualified._qualify_value = 1
),

contracts_as_of as (
    select * from contract_transactions
    where action_date <= {{ release_quarter_end() }}
),

crosswalk_as_of as (
    select * from (
        select
            *,
            row_number() over (partition by award_key order by report_date desc) as _qualify_value
        from crosswalk
        where report_date <= {{ release_quarter_end() }}
    ) as qualified
    where qualified._qualify_value = 1
),

assistance_awards as (
    select
        assistance_award_key as award_key,
        'assistance' as award_layout,
        assistance_type_code as type_code,
        awarding_agency_code,
        recipient_uei,
        recipient_name,
        recipient_state_code,
        base_action_date as first_action_date,
        total_obligated_usd as obligated_usd,
        loan_face_value_usd
    from assistance_as_of
),

-- A contract award's attributes come from its earliest action (the base award).
contract_awards as (
    select
        contract_award_key as award_key,
        'contract' as award_layout,
        {{ first_by('award_type_code', 'action_date, modification_number') }} as type_code,
        {{ first_by('awarding_agency_code', 'action_date, modification_number') }} as awarding_agency_code,
        {{ first_by('recipient_uei', 'action_date, modification_number') }} as recipient_uei,
        {{ first_by('recipient_name', 'action_date, modification_number') }} as recipient_name,
        {{ first_by('recipient_state_code', 'action_date, modification_number') }} as recipient_state_code,
        min(action_date) as first_action_date,
        cast(sum(federal_action_obligation_usd) as decimal(18, 2)) as obligated_usd,
        cast(null as decimal(18, 2)) as loan_face_value_usd
    from contracts_as_of
    group by contract_award_key
),

awards as (
    select * from assistance_awards
    union all
    select * from contract_awards
),

final as (
    select
        awards.award_key,
        awards.award_layout,
        awards.type_code,
        coalesce(mechanisms.mechanism, 'other') as mechanism,
        awards.awarding_agency_code,
        awards.recipient_uei,
        awards.recipient_name,
        awards.recipient_state_code,
        awards.first_action_date,
        {{ quarter_key('awards.first_action_date') }} as first_action_quarter,
        awards.obligated_usd,
        awards.loan_face_value_usd,
        crosswalk.project_id,
        crosswalk.project_type,
        crosswalk.facility_id,
        crosswalk.sector,
        crosswalk.upgrades_mine,
        crosswalk.partner_country_iso2,
        awards.awarding_agency_code = '{{ var("pledge_agency_code") }}' as is_doe_award,
        crosswalk.award_key is not null as is_in_crosswalk,
        coalesce(mechanisms.counts_toward_pledge, false) as is_pledge_mechanism,
        awards.awarding_agency_code = '{{ var("pledge_agency_code") }}'
        and crosswalk.award_key is not null
        and coalesce(mechanisms.counts_toward_pledge, false) as counts_toward_pledge
    from awards
    left join mechanisms
        on
            awards.award_layout = mechanisms.award_layout
            and awards.type_code = mechanisms.type_code
    left join crosswalk_as_of as crosswalk on awards.award_key = crosswalk.award_key
)

select * from final
