-- Net import reliance by commodity, measure and year from the salient files, with the Figure 2 row
-- of the same commodity. The match key is the commodity name in lower case without parentheses
-- and, for Figure 2, without the form after the comma ('COBALT, metal, oxides, and salts' →
-- 'cobalt'). A salient commodity is only matched when exactly one Figure 2 row has its key:
-- 'Platinum-Group Metals' (Figure 2 lists platinum and palladium apart) or 'Diamond (Industrial)'
-- (stones and bort apart) stay unmatched rather than get the wrong list.
with salient as (
    select * from {{ ref('stg_public__usgs_salient') }}
    where is_net_import_reliance
),

fig2 as (
    select * from {{ ref('stg_public__usgs_net_import_reliance') }}
),

sources as (
    select * from {{ ref('int_public__major_import_sources') }}
),

fig2_keyed as (
    select
        fig2.*,
        trim(regexp_replace(lower(split_part(fig2.commodity, ',', 1)), '\s*\([^)]*\)', '', 'g')) as match_key
    from fig2
),

fig2_unique as (
    select * from (
        select
            *,
            count(*) over (partition by match_key) as _qualify_value
        from fig2_keyed
    ) as qualified
    where qualified._qualify_value = 1
),

top_source as (
    select
        commodity,
        year,
        country as top_import_source
    from sources
    where source_rank = 1
),

salient_keyed as (
    select
        salient.*,
        trim(regexp_replace(lower(salient.commodity), '\s*\([^)]*\)', '', 'g')) as match_key
    from salient
),

joined as (
    select
        salient_keyed.commodity,
        salient_keyed.measure,
        salient_keyed.source_column,
        salient_keyed.year,
        salient_keyed.is_estimate,
        salient_keyed.value as net_import_reliance_pct,
        salient_keyed.value_text,
        salient_keyed.marker,
        salient_keyed.bound_operator,
        salient_keyed.bound_value,
        salient_keyed.is_net_exporter,
        fig2_unique.commodity as fig2_commodity,
        fig2_unique.major_import_sources,
        fig2_unique.import_sources_period,
        top_source.top_import_source
    from salient_keyed
    left join fig2_unique on salient_keyed.match_key = fig2_unique.match_key
    left join top_source
        on fig2_unique.commodity = top_source.commodity and fig2_unique.year = top_source.year
)

select * from joined
