with funding as (
    select * from {{ ref('int_funding__mechanism_state_quarter') }}
),

contributors as (
    select * from {{ ref('int_funding__mechanism_state_quarter_contributors') }}
)

select
    {{ quarter_columns('quarter') }},
    cast(mechanism as varchar) as mechanism,
    cast(recipient_state_code as varchar) as recipient_state_code,
    cast(obligated_usd as decimal(18, 2)) as obligated_usd,
    cast(loan_face_value_usd as decimal(18, 2)) as loan_face_value_usd,
    cast(new_awards as integer) as new_awards,
    cast(cumulative_obligated_usd as decimal(18, 2)) as cumulative_obligated_usd,
    cast(cumulative_loan_face_value_usd as decimal(18, 2)) as cumulative_loan_face_value_usd,
    cast(cumulative_awards as integer) as cumulative_awards,
    cast(pledge_usd as decimal(18, 2)) as pledge_usd,
    cast(cumulative_share_of_pledge as double precision) as cumulative_share_of_pledge,
    cast(coalesce(contributors.contributor_count, 0) as integer) as contributor_count,
    cast(contributors.top_contributor_share as double precision) as top_contributor_share
from funding
left join contributors using (mechanism, recipient_state_code, quarter)
where {{ release_quarter_filter('quarter') }}
