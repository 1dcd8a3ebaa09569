-- USGS world production, capacity and reserves, one row per commodity, country, type, measure and
-- year; latest load of each key. Flags the aggregate rows the concentration mart must not treat
-- as producers.
with source as (
    select * from {{ source('public', 'usgs_world_production') }}
),

latest as (
    select * from {{ dedupe_latest_load('source', ['commodity', 'country', 'type', 'measure', 'year']) }}
),

renamed as (
    select
        data_source,
        trim(regexp_replace(replace(commodity, chr(160), ' '), '\s+', ' ', 'g')) as commodity,
        trim(regexp_replace(replace(country, chr(160), ' '), '\s+', ' ', 'g')) as country,
        trim(regexp_replace(replace(type, chr(160), ' '), '\s+', ' ', 'g')) as type,
        unit,
        measure,
        cast(year as integer) as year,
        is_estimate,
        value,
        value_text,
        marker,
        bound_operator,
        bound_value,
        notes,
        source_column,
        _source_file,
        _source_line,
        _load_id,
        _loaded_at
    from latest
),

flagged as (
    select
        *,
        lower(country) like 'world total%' as is_world_total,
        lower(country) like 'other countries%' as is_other_countries
    from renamed
)

select * from flagged
