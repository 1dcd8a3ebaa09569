-- Disclosure control inputs: recipients (by UEI) with pledge-counting obligations in each
-- mechanism x state x quarter cell, and the largest recipient's share of the cell's obligations
-- (absolute amounts, so a de-obligation counts as activity).
with obligations as (
    select * from {{ ref('int_funding__award_quarter_obligations') }}
    where counts_toward_pledge
),

awards as (
    select * from {{ ref('int_funding__awards') }}
),

per_recipient as (
    select
        obligations.mechanism,
        obligations.recipient_state_code,
        obligations.quarter,
        coalesce(awards.recipient_uei, awards.award_key) as recipient,
        abs(sum(obligations.obligated_usd)) as obligated_usd
    from obligations
    inner join awards on obligations.award_key = awards.award_key
    group by
        obligations.mechanism,
        obligations.recipient_state_code,
        obligations.quarter,
        coalesce(awards.recipient_uei, awards.award_key)
    having sum(obligations.obligated_usd) <> 0
)

select
    mechanism,
    recipient_state_code,
    quarter,
    count(distinct recipient) as contributor_count,
    cast(max(obligated_usd) as double precision) / nullif(sum(obligated_usd), 0) as top_contributor_share
from per_recipient
group by mechanism, recipient_state_code, quarter
