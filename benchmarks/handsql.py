"""Baseline 2: the indicator marts written by hand in plain DuckDB SQL, straight from the CSVs.

fct_operations_throughput and fct_chains_diversification, with the same semantics as the dbt
models (staging cleanup, latest file wins per key, facilities' sector as of the release quarter,
the quarter grid and the program targets from the seeds), in one process and one connection.
"""

from __future__ import annotations

from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "seeds" / "reference"
# Columns of the dbt marts this baseline computes; the cross-check compares exactly these.
THROUGHPUT_COLUMNS = [
    "quarter",
    "fiscal_year",
    "fiscal_quarter",
    "sector",
    "domestic_facilities_reporting",
    "weeks_reported",
    "total_output_units",
    "avg_weekly_output_units",
    "avg_weekly_design_capacity_units",
    "utilization_rate",
    "defect_rate",
    "prev_avg_weekly_output_units",
    "qoq_gain",
    "target_qoq_gain",
    "on_track",
]
DIVERSIFICATION_COLUMNS = [
    "quarter",
    "fiscal_year",
    "fiscal_quarter",
    "sector",
    "total_input_value_usd",
    "domestic_input_value_usd",
    "foreign_input_value_usd",
    "domestic_input_share",
    "target_domestic_input_share",
    "meets_domestic_share_target",
    "foreign_origin_count",
    "top_foreign_origin_iso2",
    "top_foreign_origin_share",
    "foreign_origin_hhi",
]
MARTS = {
    "fct_operations_throughput": THROUGHPUT_COLUMNS,
    "fct_chains_diversification": DIVERSIFICATION_COLUMNS,
}


def _csv(inbox: Path, feed: str, table: str) -> str:
    return (
        f"read_csv('{inbox / feed}/{table}_*.csv', all_varchar = true, filename = true, "
        "quote = '\"', escape = '\"', header = true)"
    )


def _latest(key: str) -> str:
    """The latest file wins per key (the file name's quarter), as dbt's dedupe_latest_load."""
    return (
        f"qualify row_number() over (partition by {key} order by "
        "regexp_extract(filename, '([0-9]{4}-Q[1-4])', 1) desc, filename desc) = 1"
    )


def sql(inbox: Path, quarter: str, first_quarter: str = "2025-Q1") -> str:
    qk = (
        "(cast(extract(year from {d}) as varchar) || '-Q' || "
        "cast(extract(quarter from {d}) as varchar))"
    )
    y, n = int(quarter[:4]), int(quarter[-1])
    quarter_end = f"(make_date({y}, {3 * (n - 1) + 1}, 1) + interval 3 month - interval 1 day)"
    return f"""
create or replace temp table production as
select upper(trim(facility_id)) as facility_id, upper(trim(state_code)) as state_code,
       cast(week_ending as date) as week_ending,
       {qk.format(d="cast(week_ending as date)")} as quarter,
       lower(trim(sector)) as sector, cast(output_units as decimal(18, 2)) as output_units,
       cast(design_capacity_units as decimal(18, 2)) as design_capacity_units,
       cast(defective_units as decimal(18, 2)) as defective_units,
       lower(trim(is_domestic)) in ('true', '1', 'yes', 'y', 't') as is_domestic
from {_csv(inbox, "supplier", "weekly_production")}
{_latest("upper(trim(facility_id)), cast(week_ending as date)")};

create or replace temp table quarters as
select q as quarter, cast(substr(q, 1, 4) as integer) as y, cast(substr(q, 7, 1) as integer) as n,
       cast(substr(q, 1, 4) as integer) * 4 + cast(substr(q, 7, 1) as integer) - 1 as quarter_index
from (select distinct y || '-Q' || n as q from range(2000, 2031) t(y), range(1, 5) s(n))
where q >= '{first_quarter}' and q <= '{quarter}';

create or replace temp table targets as
select * from read_csv('{SEEDS}/program_targets.csv', header = true);

create or replace temp table hand_fct_operations_throughput as
with weeks as (
    select sector, quarter, week_ending, count(distinct facility_id) as facilities_reporting,
           sum(output_units) as output_units, sum(design_capacity_units) as design_capacity_units,
           sum(defective_units) as defective_units, grouping(sector) as g
    from production where is_domestic group by grouping sets ((sector, quarter, week_ending),
                                                                (quarter, week_ending))
),
weeks2 as (select case when g = 1 then 'all' else sector end as sector, * exclude (sector, g)
            from weeks),
by_quarter as (
    select sector, quarter, count(distinct week_ending) as weeks_reported,
           max(facilities_reporting) as facilities, sum(output_units) as o,
           sum(design_capacity_units) as c, sum(defective_units) as d
    from weeks2 group by sector, quarter
),
grid as (
    select q.quarter, q.quarter_index, q.y, q.n, s.sector from quarters q
    cross join (select sector_code as sector from read_csv('{SEEDS}/sectors.csv', header = true)
                union all select 'all') s
),
measured as (
    select g.*, coalesce(b.facilities, 0) as facilities, coalesce(b.weeks_reported, 0) as weeks,
           b.o, b.o / nullif(b.weeks_reported, 0) as avg_o,
           b.c / nullif(b.weeks_reported, 0) as avg_c,
           b.o / nullif(b.c, 0) as util, b.d / nullif(b.o, 0) as defect
    from grid g left join by_quarter b on g.sector = b.sector and g.quarter = b.quarter
),
gained as (
    select *, lag(avg_o) over (partition by sector order by quarter_index) as prev
    from measured
)
select quarter, y + case when n = 4 then 1 else 0 end as fiscal_year,
       case when n = 4 then 1 else n + 1 end as fiscal_quarter, sector,
       facilities as domestic_facilities_reporting, weeks as weeks_reported,
       cast(o as decimal(18, 2)) as total_output_units,
       cast(avg_o as double) as avg_weekly_output_units,
       cast(avg_c as double) as avg_weekly_design_capacity_units,
       cast(util as double) as utilization_rate, cast(defect as double) as defect_rate,
       cast(prev as double) as prev_avg_weekly_output_units,
       cast(avg_o / nullif(prev, 0) - 1 as double) as qoq_gain,
       t.target_value as target_qoq_gain,
       case when avg_o / nullif(prev, 0) - 1 is not null
            then avg_o / nullif(prev, 0) - 1 >= t.target_value end as on_track
from gained cross join targets t where t.target_id = 'throughput_gain_per_quarter';

create or replace temp table facilities as
with latest_production as (
    select facility_id, sector from production where quarter <= '{quarter}'
    qualify row_number() over (partition by facility_id order by week_ending desc) = 1
),
crosswalk as (
    select upper(trim(facility_id)) as facility_id, lower(trim(sector)) as sector,
           cast(report_date as date) as report_date, trim(award_unique_key) as award_key
    from {_csv(inbox, "agency", "award_crosswalk")}
    {_latest("award_unique_key, cast(report_date as date)")}
),
crosswalk_sector as (
    select facility_id, sector from crosswalk where report_date <= {quarter_end}
    qualify row_number() over (partition by facility_id order by report_date desc, award_key) = 1
),
lines as (
    select upper(trim(line_id)) as line_id, upper(trim(facility_id)) as facility_id,
           lower(trim(sector)) as sector, cast(report_date as date) as report_date
    from {_csv(inbox, "supplier", "line_announcements")}
    {_latest("upper(trim(line_id)), cast(report_date as date)")}
),
line_sector as (
    select facility_id, sector from lines where report_date <= {quarter_end}
    qualify row_number() over (partition by facility_id order by report_date desc, line_id) = 1
),
ids as (select facility_id from latest_production union select facility_id from crosswalk_sector
        union select facility_id from line_sector)
select ids.facility_id, coalesce(p.sector, c.sector, l.sector) as sector
from ids left join latest_production p using (facility_id)
left join crosswalk_sector c using (facility_id) left join line_sector l using (facility_id);

create or replace temp table hand_fct_chains_diversification as
with sourcing as (
    select upper(trim(facility_id)) as facility_id, upper(trim(quarter)) as quarter,
           upper(trim(origin_country_iso)) as origin, cast(value_usd as decimal(18, 2)) as value_usd
    from {_csv(inbox, "supplier", "input_sourcing")}
    {
        _latest(
            "upper(trim(facility_id)), upper(trim(quarter)), trim(input_commodity), "
            "upper(trim(supplier_id))"
        )
    }
),
values_by as (
    select case when grouping(f.sector) = 1 then 'all' else f.sector end as sector, s.quarter,
           s.origin, sum(s.value_usd) as v
    from sourcing s join facilities f using (facility_id)
    group by grouping sets ((f.sector, s.quarter, s.origin), (s.quarter, s.origin))
),
totals as (
    select sector, quarter, sum(v) as total, sum(case when origin = 'US' then v else 0 end) as dom,
           sum(case when origin <> 'US' then v else 0 end) as frn,
           count(distinct case when origin <> 'US' and v > 0 then origin end) as n_foreign
    from values_by group by sector, quarter
),
ranked as (
    select v.sector, v.quarter, v.origin, v.v / nullif(t.frn, 0) as sf,
           v.v / nullif(t.total, 0) as st,
           row_number() over (partition by v.sector, v.quarter order by v.v desc, v.origin) as r
    from values_by v join totals t using (sector, quarter)
    where v.origin <> 'US' and v.v > 0
),
conc as (
    select sector, quarter, sum(sf * sf) as hhi, max(case when r = 1 then origin end) as top,
           max(case when r = 1 then st end) as top_share
    from ranked group by sector, quarter
)
select t.quarter, cast(substr(t.quarter, 1, 4) as integer)
         + case when substr(t.quarter, 7, 1) = '4' then 1 else 0 end as fiscal_year,
       case when substr(t.quarter, 7, 1) = '4' then 1
            else cast(substr(t.quarter, 7, 1) as integer) + 1 end as fiscal_quarter,
       t.sector, cast(t.total as decimal(18, 2)) as total_input_value_usd,
       cast(t.dom as decimal(18, 2)) as domestic_input_value_usd,
       cast(t.frn as decimal(18, 2)) as foreign_input_value_usd,
       cast(t.dom / nullif(t.total, 0) as double) as domestic_input_share,
       tg.target_value as target_domestic_input_share,
       t.dom / nullif(t.total, 0) >= tg.target_value as meets_domestic_share_target,
       t.n_foreign as foreign_origin_count, c.top as top_foreign_origin_iso2,
       cast(c.top_share as double) as top_foreign_origin_share,
       cast(c.hhi as double) as foreign_origin_hhi
from totals t left join conc c using (sector, quarter)
cross join targets tg where tg.target_id = 'domestic_input_share' and t.quarter <= '{quarter}';
"""
