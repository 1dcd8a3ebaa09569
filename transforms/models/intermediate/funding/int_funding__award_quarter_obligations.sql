-- Obligations per award and quarter, up to the release quarter.
-- Contracts: each transaction in the quarter of its action date.
-- Assistance: each summary version's change in total obligation (and loan face value) over the
-- previous version, in the quarter of the version's latest action date.
-- Every award also has a row in the quarter of its first action (new award), with zero when nothing
-- was obligated then.
with awards as (
    select * from {{ ref('int_funding__awards') }}
),

contract_transactions as (
    select * from {{ ref('stg_agency__contract_transactions') }}
),

assistance as (
    select * from {{ ref('stg_agency__assistance_awards') }}
),

contract_quarters as (
    select
        contract_award_key as award_key,
        action_quarter as quarter,
        federal_action_obligation_usd as obligated_usd,
        cast(0 as decimal(18, 2)) as loan_face_value_usd
    from contract_transactions
    where action_date <= {{ release_quarter_end() }}
),

assistance_versions as (
    select
        assistance_award_key as award_key,
        version_quarter as quarter,
        total_obligated_usd
        - coalesce(lag(total_obligated_usd) over (partition by assistance_award_key order by version_date), 0) as obligated_usd,
        coalesce(loan_face_value_usd, 0)
        - coalesce(lag(loan_face_value_usd) over (partition by assistance_award_key order by version_date), 0) as loan_face_value_usd
    from assistance
    where version_date <= {{ release_quarter_end() }}
),

first_actions as (
    select
        award_key,
        first_action_quarter as quarter,
        cast(0 as decimal(18, 2)) as obligated_usd,
        cast(0 as decimal(18, 2)) as loan_face_value_usd
    from awards
),

obligations as (
    select * from contract_quarters
    union all
    select * from assistance_versions
    union all
    select * from first_actions
),

by_award_quarter as (
    select
        award_key,
        quarter,
        sum(obligated_usd) as obligated_usd,
        sum(loan_face_value_usd) as loan_face_value_usd
    from obligations
    group by award_key, quarter
),

final as (
    select
        by_award_quarter.award_key,
        by_award_quarter.quarter,
        awards.mechanism,
        awards.recipient_state_code,
        awards.counts_toward_pledge,
        by_award_quarter.quarter = awards.first_action_quarter as is_first_action_quarter,
        by_award_quarter.obligated_usd,
        by_award_quarter.loan_face_value_usd
    from by_award_quarter
    inner join awards on by_award_quarter.award_key = awards.award_key
)

select * from final
