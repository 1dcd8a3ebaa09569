-- QCEW establishments, employment and wages of the critical-minerals industries (NAICS 2122 metal
-- ore mining, 3313 alumina and aluminum, 3314 other nonferrous metals, 3344 semiconductors and
-- components, 3391 medical equipment) by area, ownership and quarter.
-- Only the "NAICS 4-digit -- by ownership sector" aggregation levels are kept (16 national,
-- 46 MSA, 56 state, 76 county): each employee is then counted once per area, ownership sectors
-- are disjoint, and rows of different levels are never added. Suppressed cells (disclosure N) are
-- NULL, not 0.
{%- set naics = var('critical_minerals_naics', ['2122', '3313', '3314', '3344', '3391']) %}
{%- set levels = var('qcew_naics4_by_ownership_levels', ['16', '46', '56', '76']) %}
with qcew as (
    select * from {{ ref('stg_public__qcew') }}
    where
        industry_code in ('{{ naics | join("', '") }}')
        and agglvl_code in ('{{ levels | join("', '") }}')
        and size_code = '0'
)

select
    cast(area_fips as varchar) as area_fips,
    cast(area_title as varchar) as area_title,
    cast(own_code as varchar) as own_code,
    cast(own_title as varchar) as own_title,
    cast(industry_code as varchar) as industry_code,
    cast(industry_title as varchar) as industry_title,
    cast(agglvl_code as varchar) as agglvl_code,
    cast(year as integer) as year,
    cast(qtr as integer) as qtr,
    {{ quarter_columns('quarter') }},
    cast(disclosure_code as varchar) as disclosure_code,
    cast(is_suppressed as boolean) as is_suppressed,
    cast(establishments as bigint) as establishments,
    cast(month1_employment as bigint) as month1_employment,
    cast(month2_employment as bigint) as month2_employment,
    cast(month3_employment as bigint) as month3_employment,
    cast(total_quarterly_wages_usd as decimal(18, 2)) as total_quarterly_wages_usd,
    cast(avg_weekly_wage_usd as bigint) as avg_weekly_wage_usd
from qcew
where {{ release_quarter_filter('quarter') }}
