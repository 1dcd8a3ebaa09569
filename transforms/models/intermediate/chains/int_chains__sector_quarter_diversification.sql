-- Domestic share of input value, and concentration of the foreign part: the top foreign origin,
-- its share of all input value, and the Herfindahl-Hirschman index of the origins' shares of foreign
-- value (0-1 scale; 1 = a single foreign source).
with origin_values as (
    select * from {{ ref('int_chains__sector_origin_values') }}
),

targets as (
    select * from {{ ref('program_targets') }}
),

totals as (
    select
        sector,
        quarter,
        sum(value_usd) as total_input_value_usd,
        sum(case when is_domestic_origin then value_usd else 0 end) as domestic_input_value_usd,
        sum(case when not is_domestic_origin then value_usd else 0 end) as foreign_input_value_usd,
        count(distinct case when not is_domestic_origin and value_usd > 0 then origin_country_iso2 end) as foreign_origin_count
    from origin_values
    group by sector, quarter
),

foreign_shares as (
    select
        origin_values.sector,
        origin_values.quarter,
        origin_values.origin_country_iso2,
        origin_values.value_usd,
        cast(origin_values.value_usd as double precision) / nullif(totals.foreign_input_value_usd, 0) as share_of_foreign,
        cast(origin_values.value_usd as double precision) / nullif(totals.total_input_value_usd, 0) as share_of_total
    from origin_values
    inner join totals
        on
            origin_values.sector = totals.sector
            and origin_values.quarter = totals.quarter
    where
        not origin_values.is_domestic_origin
        and origin_values.value_usd > 0
),

ranked as (
    select
        *,
        row_number() over (partition by sector, quarter order by value_usd desc, origin_country_iso2 asc) as origin_rank
    from foreign_shares
),

concentration as (
    select
        sector,
        quarter,
        sum(share_of_foreign * share_of_foreign) as foreign_origin_hhi,
        max(case when origin_rank = 1 then origin_country_iso2 end) as top_foreign_origin_iso2,
        max(case when origin_rank = 1 then share_of_total end) as top_foreign_origin_share
    from ranked
    group by sector, quarter
),

final as (
    select
        totals.sector,
        totals.quarter,
        totals.total_input_value_usd,
        totals.domestic_input_value_usd,
        totals.foreign_input_value_usd,
        cast(totals.domestic_input_value_usd as double precision) / nullif(totals.total_input_value_usd, 0) as domestic_input_share,
        totals.foreign_origin_count,
        concentration.top_foreign_origin_iso2,
        concentration.top_foreign_origin_share,
        concentration.foreign_origin_hhi,
        targets.target_value as target_domestic_input_share
    from totals
    left join concentration
        on
            totals.sector = concentration.sector
            and totals.quarter = concentration.quarter
    cross join targets
    where targets.target_id = 'domestic_input_share'
)

select * from final
