-- U.S. net import reliance (percent of apparent consumption) by commodity, measure and year, as
-- USGS publishes it: markers (E net exporter, W withheld, NA) and bounds ('>50') are kept, never
-- turned into numbers. USGS data are annual, so rows carry the calendar year, not a quarter.
-- Years after the release quarter's year are left out.
with reliance as (
    select * from {{ ref('int_public__mineral_import_reliance') }}
)

select
    cast(commodity as varchar) as commodity,
    cast(measure as varchar) as measure,
    cast(source_column as varchar) as source_column,
    cast(year as integer) as year,
    cast(is_estimate as boolean) as is_estimate,
    cast(net_import_reliance_pct as decimal(18, 2)) as net_import_reliance_pct,
    cast(value_text as varchar) as value_text,
    cast(marker as varchar) as marker,
    cast(bound_operator as varchar) as bound_operator,
    cast(bound_value as decimal(18, 2)) as bound_value,
    cast(is_net_exporter as boolean) as is_net_exporter,
    cast(fig2_commodity as varchar) as fig2_commodity,
    cast(major_import_sources as varchar) as major_import_sources,
    cast(top_import_source as varchar) as top_import_source,
    cast(import_sources_period as varchar) as import_sources_period
from reliance
where year <= {{ quarter_year(release_quarter()) }}
