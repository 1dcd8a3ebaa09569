-- The Figure 2 "major import sources" list split into one row per country, in published order
-- (descending import share). A footnote digit glued to a name ('China3') is dropped.
with nir as (
    select * from {{ ref('stg_public__usgs_net_import_reliance') }}
),

split as (
    select
        nir.commodity,
        nir.year,
        nir.import_sources_period,
        unnest(string_split(nir.major_import_sources, ',')) as country_raw,
        generate_subscripts(string_split(nir.major_import_sources, ','), 1) as source_rank
    from nir
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
