-- USGS salient statistics, one row per commodity, year and published measure column; latest load
-- of each key. USGS data are annual: the grain carries the calendar year, not a quarter.
with source as (
    select * from {{ source('public', 'usgs_salient') }}
),

latest as (
    select * from {{ dedupe_latest_load('source', ['commodity', 'year', 'source_column']) }}
),

renamed as (
    select
        data_source,
        -- NBSP and doubled spaces appear in published names; one spelling per commodity
        trim(regexp_replace(replace(commodity, chr(160), ' '), '\s+', ' ', 'g')) as commodity,
        cast(year as integer) as year,
        measure,
        unit,
        source_column,
        value,
        value_text,
        marker,
        bound_operator,
        bound_value,
        marker = 'E' as is_net_exporter,
        -- the release's last year is an estimate (MCS 2025: 2024)
        cast(year as integer) = max(cast(year as integer)) over (partition by data_source) as is_estimate,
        measure like '%net_import_reliance%' as is_net_import_reliance,
        _source_file,
        _source_line,
        _load_id,
        _loaded_at
    from latest
)

select * from renamed
