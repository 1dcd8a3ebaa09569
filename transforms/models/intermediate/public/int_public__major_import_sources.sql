-- The Figure 2 "major import sources" list split into one row per country, in published order
-- (descending import share). A footnote digit glued to a name ('China3') is dropped.
with nir as (
    select * from {{ ref('stg_public__usgs_net_import_reliance') }}
),

-- Position n of the list is split_part(list, ',', n), for n up to the number of commas + 1
-- (Figure 2 names a handful of countries per commodity; 64 positions bound the split).
positions as (
    {{ dbt.generate_series(64) }}
),

split as (
    select
        nir.commodity,
        nir.year,
        nir.import_sources_period,
        split_part(nir.major_import_sources, ',', cast(positions.generated_number as integer)) as country_raw,
        positions.generated_number as source_rank
    from nir
    inner join positions
        on
            positions.generated_number
            <= {{ dbt.length('nir.major_import_sources') }} - {{ dbt.length(dbt.replace('nir.major_import_sources', "','", "''")) }} + 1
    where nir.major_import_sources is not null
),

cleaned as (
    select
        commodity,
        year,
        import_sources_period,
        cast(source_rank as integer) as source_rank,
        trim(regexp_replace(trim(country_raw), '[0-9]+$', '')) as country
    from split
)

select * from cleaned
where country <> ''
