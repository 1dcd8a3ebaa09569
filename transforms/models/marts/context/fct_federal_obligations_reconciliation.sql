-- Reconciliation of fct_federal_obligations to the downloads it comes from: per source file, the
-- sum of federal_action_obligation in raw (the file's latest load, as landed) equals the sum the
-- marts carry plus what lies after the release quarter, to the cent (difference_usd = 0).
with raw_rows as (
    select * from {{ source('agency', 'contract_transactions') }}
),

latest_load as (
    select
        _source_file,
        max(_load_id) as _load_id
    from raw_rows
    group by _source_file
),

file_totals as (
    select
        raw_rows._source_file,
        count(*) as file_transactions,
        sum(cast(raw_rows.federal_action_obligation as decimal(18, 2))) as file_total_usd
    from raw_rows
    inner join latest_load using (_source_file, _load_id)
    group by raw_rows._source_file
),

carried as (
    select
        _source_file,
        count(*) as carried_transactions,
        sum(case when {{ release_quarter_filter('quarter') }} then federal_action_obligation_usd else 0 end)
            as in_marts_usd,
        sum(case when not ({{ release_quarter_filter('quarter') }}) then federal_action_obligation_usd else 0 end)
            as after_release_quarter_usd
    from {{ ref('int_public__contract_obligations') }}
    group by _source_file
)

select
    cast(file_totals._source_file as varchar) as source_file,
    cast(file_totals.file_transactions as bigint) as file_transactions,
    cast(coalesce(carried.carried_transactions, 0) as bigint) as carried_transactions,
    cast(file_totals.file_total_usd as decimal(18, 2)) as file_total_usd,
    cast(coalesce(carried.in_marts_usd, 0) as decimal(18, 2)) as in_marts_usd,
    cast(coalesce(carried.after_release_quarter_usd, 0) as decimal(18, 2)) as after_release_quarter_usd,
    cast(
        file_totals.file_total_usd
        - coalesce(carried.in_marts_usd, 0)
        - coalesce(carried.after_release_quarter_usd, 0)
        as decimal(18, 2)
    ) as difference_usd
from file_totals
left join carried using (_source_file)
