-- BLS QCEW, one row per area, ownership, industry, aggregation level, size class and quarter;
-- latest load of each key. BLS publishes a suppressed cell (disclosure_code N) as zeros: here the
-- employment and wage numbers of such rows are NULL (unknown), never 0. The establishment count is
-- disclosed even then and is kept. Raw keeps the published zeros next to the flag.
with source as (
    select * from {{ source('public', 'qcew') }}
),

latest as (
    select * from {{ dedupe_latest_load('source', ['area_fips', 'own_code', 'industry_code', 'agglvl_code', 'size_code', 'year', 'qtr']) }}
),

renamed as (
    select
        area_fips,
        own_code,
        industry_code,
        agglvl_code,
        size_code,
        cast(year as integer) as year,
        cast(qtr as integer) as qtr,
        cast(year as varchar) || '-Q' || cast(qtr as varchar) as quarter,
        nullif(trim(disclosure_code), '') as disclosure_code,
        coalesce(trim(disclosure_code) = 'N', false) as is_suppressed,
        area_title,
        own_title,
        industry_title,
        agglvl_title,
        size_title,
        qtrly_estabs as establishments,
        case when disclosure_code = 'N' then null else month1_emplvl end as month1_employment,
        case when disclosure_code = 'N' then null else month2_emplvl end as month2_employment,
        case when disclosure_code = 'N' then null else month3_emplvl end as month3_employment,
        case when disclosure_code = 'N' then null else total_qtrly_wages end as total_quarterly_wages_usd,
        case when disclosure_code = 'N' then null else taxable_qtrly_wages end as taxable_quarterly_wages_usd,
        case when disclosure_code = 'N' then null else qtrly_contributions end as quarterly_contributions_usd,
        case when disclosure_code = 'N' then null else avg_wkly_wage end as avg_weekly_wage_usd,
        _source_file,
        _source_line,
        _load_id,
        _loaded_at
    from latest
)

select * from renamed
