with source as (
    select * from {{ source('workforce', 'training_reports') }}
),

renamed as (
    select
        upper(trim(recipient_org_id)) as recipient_org_id,
        nullif(trim(recipient_org_name), '') as recipient_org_name,
        upper(trim(state_code)) as state_code,
        upper(trim(quarter)) as quarter,
        cast(enrolled as bigint) as enrolled,
        cast(completed as bigint) as completed,
        cast(upskilling_packages as bigint) as upskilling_packages,
        cast(expert_team_headcount as bigint) as expert_team_headcount,
        cast(median_wage_before as decimal(18, 2)) as median_wage_before_usd,
        cast(median_wage_after as decimal(18, 2)) as median_wage_after_usd,
        _source_file,
        _source_line,
        _load_id,
        _loaded_at
    from {{ dedupe_latest_load('source', ['recipient_org_id', 'quarter']) }}
)

select * from renamed
