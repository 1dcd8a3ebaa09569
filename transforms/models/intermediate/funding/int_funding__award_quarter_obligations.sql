-- Obligations per award and quarter. Contracts: each transaction in the quarter of its action date.
-- Assistance: the award summary's total obligation in the quarter of its first action (the summary
-- layout carries no per-action history); the loan face value likewise.
with awards as (
    select * from {{ ref('int_funding__awards') }}
),

contract_transactions as (
    select * from {{ ref('stg_agency__contract_transactions') }}
),

contract_quarters as (
    select
        contract_award_key as award_key,
        action_quarter as quarter,
        sum(federal_action_obligation_usd) as obligated_usd,
        cast(0 as decimal(18, 2)) as loan_face_value_usd
    from contract_transactions
    group by contract_award_key, action_quarter
),

assistance_quarters as (
    select
        award_key,
        first_action_quarter as quarter,
        obligated_usd,
        coalesce(loan_face_value_usd, 0) as loan_face_value_usd
    from awards
    where award_layout = 'assistance'
),

obligations as (
    select * from contract_quarters
    union all
    select * from assistance_quarters
),

final as (
    select
        obligations.award_key,
        obligations.quarter,
        awards.mechanism,
        awards.recipient_state_code,
        awards.counts_toward_pledge,
        obligations.quarter = awards.first_action_quarter as is_first_action_quarter,
        obligations.obligated_usd,
        obligations.loan_face_value_usd
    from obligations
    inner join awards on obligations.award_key = awards.award_key
)

select * from final
