-- USGS MCS Figure 2: net import reliance of the latest year and the major import sources list as
-- published; int_public__major_import_sources splits the list.
with source as (
    select * from {{ source('public', 'usgs_net_import_reliance') }}
),

latest as (
    select * from {{ dedupe_latest_load('source', ['commodity', 'year']) }}
),

renamed as (
    select
        data_source,
        import_share_order,
        trim(regexp_replace(replace(commodity, chr(160), ' '), '\s+', ' ', 'g')) as commodity,
        cast(year as integer) as year,
        value,
        value_text,
        marker,
        bound_operator,
        bound_value,
        major_import_sources,
        import_sources_period,
        notes,
        _source_file,
        _source_line,
        _load_id,
        _loaded_at
    from latest
)

select * from renamed
