-- How concentrated world mine production is, per commodity and type of production, in the latest
-- year with numbers (MCS 2025: 2024, estimated). Annual data: rows carry the year.
-- Exclusions, by design:
--   * 'World total ...' rows are the denominator, never a producer; when a (commodity, type) has no
--     numeric world total, or the published total is below the sum of its own rows (a USGS typo:
--     Clays, kaolin 2024 prints 4,400 for rows summing to 47,240), the denominator is the sum of
--     all numeric rows (countries + Other) and world_total_source says 'sum_of_rows';
--   * a (commodity, type) with no world total and a single producer is left out: those are rows
--     USGS labelled with their own type (Cobalt, United States, 'Mine production, estimated'),
--     not a market of one;
--   * 'Other countries ...' rows count in that fallback denominator but are not a producer, so
--     top shares and HHI cover named countries only (HHI is then a lower bound);
--   * rows without a number (W withheld, empty, NA, text, bounds) are left out and counted in
--     producers_without_value.
with world as (
    select * from {{ ref('stg_public__usgs_world_production') }}
    where measure = 'production'
),

latest_year as (
    select
        commodity,
        type,
        max(year) as year
    from world
    where value is not null
    group by commodity, type
),

latest as (
    select world.*
    from world
    inner join latest_year using (commodity, type, year)
),

totals as (
    select
        commodity,
        type,
        max(case when is_world_total then value end) as published_world_total,
        sum(case when not is_world_total then value end) as sum_of_rows
    from latest
    group by commodity, type
),

producers as (
    select
        latest.commodity,
        latest.type,
        latest.year,
        latest.unit,
        latest.is_estimate,
        latest.country,
        latest.value,
        case
            when totals.published_world_total >= coalesce(totals.sum_of_rows, 0)
                then totals.published_world_total
            else totals.sum_of_rows
        end as world_total,
        case
            when totals.published_world_total >= coalesce(totals.sum_of_rows, 0) then 'published'
            else 'sum_of_rows'
        end as world_total_source,
        totals.published_world_total,
        row_number() over (
            partition by latest.commodity, latest.type order by latest.value desc nulls last, latest.country asc
        ) as producer_rank
    from latest
    inner join totals using (commodity, type)
    where not latest.is_world_total and not latest.is_other_countries
),

shares as (
    select
        *,
        case when world_total > 0 and value is not null then cast(value as double precision) / world_total end as share
    from producers
),

concentration as (
    select
        commodity,
        type,
        -- constant within (commodity, type); min is the portable, deterministic pick
        min(year) as year,
        min(unit) as unit,
        bool_or(is_estimate) as is_estimate,
        min(world_total) as world_total,
        min(world_total_source) as world_total_source,
        min(published_world_total) as published_world_total,
        max(case when producer_rank = 1 and value is not null then country end) as top_country,
        max(case when producer_rank = 1 then share end) as top_country_share,
        sum(case when producer_rank <= 3 then share end) as top3_share,
        sum(share * share) * 10000 as hhi,
        count(value) as producers_with_value,
        count(*) - count(value) as producers_without_value
    from shares
    group by commodity, type
)

select
    cast(commodity as varchar) as commodity,
    cast(type as varchar) as type,
    cast(year as integer) as year,
    cast(unit as varchar) as unit,
    cast(is_estimate as boolean) as is_estimate,
    cast(world_total as decimal(18, 2)) as world_total,
    cast(world_total_source as varchar) as world_total_source,
    cast(published_world_total as decimal(18, 2)) as published_world_total,
    cast(top_country as varchar) as top_country,
    cast({{ round_float('top_country_share', 4) }} as decimal(9, 4)) as top_country_share,
    cast({{ round_float('top3_share', 4) }} as decimal(9, 4)) as top3_share,
    cast({{ round_float('hhi', 1) }} as decimal(9, 1)) as hhi,
    cast(producers_with_value as integer) as producers_with_value,
    cast(producers_without_value as integer) as producers_without_value
from concentration
where
    world_total > 0
    and (published_world_total is not null or producers_with_value >= 2)
    and year <= {{ quarter_year(release_quarter()) }}
