-- Every contract transaction landed from USAspending downloads (DOE or not), with its funding
-- mechanism (funding_mechanisms seed, contract layout) and calendar and fiscal quarter.
with transactions as (
    select * from {{ ref('stg_agency__contract_transactions') }}
),

mechanisms as (
    select * from {{ ref('funding_mechanisms') }}
    where award_layout = 'contract'
),

joined as (
    select
        transactions.contract_transaction_key,
        transactions.contract_award_key,
        coalesce(mechanisms.mechanism, 'other') as mechanism,
        transactions.award_type_code,
        transactions.awarding_agency_code,
        transactions.awarding_agency_name,
        transactions.awarding_agency_code = '{{ var("pledge_agency_code") }}' as is_pledge_agency,
        coalesce(transactions.recipient_state_code, 'unknown') as recipient_state_code,
        transactions.action_date,
        transactions.action_quarter as quarter,
        transactions.federal_action_obligation_usd,
        transactions._source_file
    from transactions
    left join mechanisms on transactions.award_type_code = mechanisms.type_code
)

select * from joined
