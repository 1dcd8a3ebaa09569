-- Disclosure control inputs: training recipients reporting in each Census region x quarter cell,
-- and the largest recipient's share of the cell's enrolments.
with reports as (
    select * from {{ ref('int_workforce__training_reports') }}
)

select
    census_region,
    quarter,
    count(distinct recipient_org_id) as contributor_count,
    cast(max(enrolled) as double precision) / nullif(sum(enrolled), 0) as top_contributor_share
from reports
group by census_region, quarter
