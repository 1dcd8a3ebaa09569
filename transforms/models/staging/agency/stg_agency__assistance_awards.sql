-- Award summaries are re-downloaded every quarter and their totals grow. Keep one row per award and
-- version (its latest action date), so later layers can take the award as of any quarter and the
-- quarterly obligation as the change between versions.
with source as (
    select * from {{ source('agency', 'assistance_awards') }}
),

renamed as (
    select
        trim(assistance_award_unique_key) as assistance_award_key,
        nullif(trim(award_id_fain), '') as award_id_fain,
        cast(total_obligated_amount as decimal(18, 2)) as total_obligated_usd,
        cast(total_face_value_of_loan as decimal(18, 2)) as loan_face_value_usd,
        cast(total_loan_subsidy_cost as decimal(18, 2)) as loan_subsidy_cost_usd,
        award_base_action_date as base_action_date,
        {{ quarter_key('award_base_action_date') }} as base_action_quarter,
        cast(award_base_action_date_fiscal_year as integer) as base_action_fiscal_year,
        award_latest_action_date as latest_action_date,
        coalesce(award_latest_action_date, award_base_action_date) as version_date,
        {{ quarter_key('coalesce(award_latest_action_date, award_base_action_date)') }} as version_quarter,
        trim(awarding_agency_code) as awarding_agency_code,
        nullif(trim(awarding_agency_name), '') as awarding_agency_name,
        nullif(upper(trim(recipient_uei)), '') as recipient_uei,
        nullif(trim(recipient_name), '') as recipient_name,
        nullif(upper(trim(recipient_state_code)), '') as recipient_state_code,
        nullif(trim(cfda_numbers_and_titles), '') as assistance_listings,
        lpad(trim(assistance_type_code), 2, '0') as assistance_type_code,
        nullif(trim(assistance_type_description), '') as assistance_type_description,
        _source_file,
        _source_line,
        _load_id,
        _loaded_at
    from {{ dedupe_latest_load('source', ['assistance_award_unique_key', 'coalesce(award_latest_action_date, award_base_action_date)']) }}
)

select * from renamed
