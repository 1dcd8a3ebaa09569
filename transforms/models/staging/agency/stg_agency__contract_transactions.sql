with source as (
    select * from {{ source('agency', 'contract_transactions') }}
),

renamed as (
    select
        trim(contract_transaction_unique_key) as contract_transaction_key,
        trim(contract_award_unique_key) as contract_award_key,
        nullif(trim(award_id_piid), '') as award_id_piid,
        coalesce(nullif(trim(modification_number), ''), '0') as modification_number,
        cast(federal_action_obligation as decimal(18, 2)) as federal_action_obligation_usd,
        action_date,
        {{ quarter_key('action_date') }} as action_quarter,
        cast(action_date_fiscal_year as integer) as action_date_fiscal_year,
        trim(awarding_agency_code) as awarding_agency_code,
        nullif(trim(awarding_agency_name), '') as awarding_agency_name,
        nullif(upper(trim(recipient_uei)), '') as recipient_uei,
        nullif(trim(recipient_name), '') as recipient_name,
        nullif(upper(trim(recipient_state_code)), '') as recipient_state_code,
        nullif(upper(trim(primary_place_of_performance_state_code)), '') as performance_state_code,
        upper(trim(award_type_code)) as award_type_code,
        nullif(trim(naics_code), '') as naics_code,
        _source_file,
        _source_line,
        _load_id,
        _loaded_at
    from {{ dedupe_latest_load('source', ['contract_transaction_unique_key']) }}
)

select * from renamed
