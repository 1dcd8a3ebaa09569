-- The roster carries personal data (full_name, email, date_of_birth: pii in contracts.yml). They are
-- never selected here, so nothing downstream of staging can reach them; participant_id is the
-- program's pseudonymous identifier.
with source as (
    select * from {{ source('workforce', 'participants') }}
),

renamed as (
    select
        upper(trim(participant_id)) as participant_id,
        upper(trim(recipient_org_id)) as recipient_org_id,
        upper(trim(state_code)) as state_code,
        enrolled_date,
        {{ quarter_key('enrolled_date') }} as enrolled_quarter,
        completed_date,
        case when completed_date is not null then {{ quarter_key('completed_date') }} end as completed_quarter,
        lower(trim(track)) as track,
        _source_file,
        _source_line,
        _load_id,
        _loaded_at
    from {{ dedupe_latest_load('source', ['participant_id']) }}
)

select * from renamed
