with diversification as (
    select * from {{ ref('int_chains__sector_quarter_diversification') }}
),

contributors as (
    select * from {{ ref('int_chains__sector_quarter_contributors') }}
)

select
    {{ quarter_columns('quarter') }},
    cast(sector as varchar) as sector,
    cast(total_input_value_usd as decimal(18, 2)) as total_input_value_usd,
    cast(domestic_input_value_usd as decimal(18, 2)) as domestic_input_value_usd,
    cast(foreign_input_value_usd as decimal(18, 2)) as foreign_input_value_usd,
    cast(domestic_input_share as double precision) as domestic_input_share,
    cast(target_domestic_input_share as double precision) as target_domestic_input_share,
    cast(domestic_input_share >= target_domestic_input_share as boolean) as meets_domestic_share_target,
    cast(foreign_origin_count as integer) as foreign_origin_count,
    cast(top_foreign_origin_iso2 as varchar) as top_foreign_origin_iso2,
    cast(top_foreign_origin_share as double precision) as top_foreign_origin_share,
    cast(foreign_origin_hhi as double precision) as foreign_origin_hhi,
    cast(coalesce(contributors.contributor_count, 0) as integer) as contributor_count,
    cast(contributors.top_contributor_share as double precision) as top_contributor_share
from diversification
left join contributors using (sector, quarter)
where {{ release_quarter_filter('quarter') }}
