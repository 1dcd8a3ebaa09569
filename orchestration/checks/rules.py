"""The gate's SQL rules on the build database: completeness, reconciliation, cross-feed
consistency, anomalies and quarantine. Severities, thresholds and targets come from
``expectations/gate.yml``; each rule returns :class:`Outcome` rows, never raises on bad data.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import duckdb

from orchestration.checks.config import FATAL, WARNING, GateConfig, Outcome
from orchestration.quarters import Quarter

QUARANTINE_TABLE = "audit.quarantine"
_QUARTER_RE = r"([0-9]{4}-Q[1-4])"


def _target(rule: dict[str, Any], default: str) -> str:
    return "/".join(rule.get("target") or [default])


def _sample(items: list[Any], n: int = 5) -> str:
    shown = ", ".join(str(i) for i in items[:n])
    return shown + (f" (+{len(items) - n} more)" if len(items) > n else "")


def completeness_weeks(con, q: Quarter, cfg: GateConfig) -> list[Outcome]:
    rule = cfg.rule("completeness_weeks")
    weeks = [w.isoformat() for w in q.week_endings()]
    missing = con.execute(
        """
        with active as (
            select distinct facility_id from raw_supplier.weekly_production
            where week_ending between ? and ?
        ),
        weeks as (select cast(unnest(?::varchar[]) as date) as week_ending),
        reported as (select distinct facility_id, week_ending from raw_supplier.weekly_production)
        select a.facility_id, w.week_ending
        from active a cross join weeks w
        anti join reported r on r.facility_id = a.facility_id and r.week_ending = w.week_ending
        order by 1, 2
        """,
        [q.previous().start, q.end, weeks],
    ).fetchall()
    active = con.execute(
        "select count(distinct facility_id) from raw_supplier.weekly_production "
        "where week_ending between ? and ?",
        [q.previous().start, q.end],
    ).fetchone()[0]
    return [
        Outcome(
            check="completeness_weeks",
            target=_target(rule, "raw/supplier/weekly_production"),
            name=f"weekly production: every Saturday week of {q.key} from every active facility",
            severity=rule.get("severity", FATAL),
            passed=not missing,
            observed=f"{len(missing)} facility-weeks missing"
            + (": " + _sample([f"{f} {w}" for f, w in missing]) if missing else ""),
            expected=f"{len(weeks)} weeks x {active} active facilities, none missing",
            gates=tuple(rule.get("gates") or ()),
        )
    ]


def completeness_training_reports(con, q: Quarter, cfg: GateConfig) -> list[Outcome]:
    rule = cfg.rule("completeness_training_reports")
    missing = [
        r[0]
        for r in con.execute(
            """
            select distinct recipient_org_id from raw_workforce.training_reports
            where quarter < ?
            except
            select recipient_org_id from raw_workforce.training_reports where quarter = ?
            order by 1
            """,
            [q.key, q.key],
        ).fetchall()
    ]
    known = con.execute(
        "select count(distinct recipient_org_id) from raw_workforce.training_reports "
        "where quarter <= ?",
        [q.key],
    ).fetchone()[0]
    return [
        Outcome(
            check="completeness_training_reports",
            target=_target(rule, "raw/workforce/training_reports"),
            name=f"training reports: every recipient's report for {q.key}",
            severity=rule.get("severity", FATAL),
            passed=not missing,
            observed=f"{len(missing)} recipients without a report"
            + (": " + _sample(missing) if missing else ""),
            expected=f"a report from each of {known} recipients",
            gates=tuple(rule.get("gates") or ()),
        )
    ]


def completeness_quarter_files(con, q: Quarter, cfg: GateConfig) -> list[Outcome]:
    rule = cfg.rule("completeness_quarter_files")
    landed = {
        r[0]
        for r in con.execute(
            "select \"table\" from audit.file_loads where status in ('loaded', 'skipped') "
            "and regexp_extract(file, ?, 1) = ?",
            [_QUARTER_RE, q.key],
        ).fetchall()
    }
    out = []
    for feed, tables in sorted((rule.get("tables") or {}).items()):
        for table in tables:
            name = f"{table}_{q.key}.csv"
            out.append(
                Outcome(
                    check="completeness_quarter_files",
                    target=f"raw/{feed}/{table}",
                    name=f"{feed} file {name} landed",
                    severity=rule.get("severity", FATAL),
                    passed=table in landed,
                    observed="landed" if table in landed else "no file of the quarter landed",
                    expected=f"{name} in inbox/{feed}/ and landed",
                    gates=tuple(rule.get("gates") or ()),
                )
            )
    return out


def _money(v: Any) -> str:
    return f"{Decimal(v or 0):,.2f}"


def reconciliation_funding(
    con, q: Quarter, cfg: GateConfig, marts: dict[str, str]
) -> list[Outcome]:
    rule = cfg.rule("reconciliation_funding")
    tol = Decimal(str(rule.get("tolerance_usd", 0)))
    funding, awards = marts["fct_funding_by_mechanism"], marts["fct_awards"]
    rows = con.execute(
        f"""
        with pledge as (select award_key, mechanism from {awards} where counts_toward_pledge),
        contracts as (
            select contract_award_key as award_key, sum(federal_action_obligation_usd) as usd
            from staging.stg_agency__contract_transactions
            where action_date <= ? group by 1
        ),
        assistance as (
            select assistance_award_key as award_key, total_obligated_usd as usd
            from staging.stg_agency__assistance_awards
            where version_date <= ?
            qualify row_number() over (
                partition by assistance_award_key order by version_date desc) = 1
        ),
        source as (
            select p.mechanism, sum(s.usd) as usd
            from pledge p join (select * from contracts union all select * from assistance) s
              using (award_key)
            group by 1
        ),
        mart as (select mechanism, sum(obligated_usd) as usd from {funding} group by 1)
        select coalesce(m.mechanism, s.mechanism) as mechanism, m.usd, s.usd
        from mart m full join source s using (mechanism)
        order by 1
        """,
        [q.end, q.end],
    ).fetchall()
    out = []
    for mechanism, mart_usd, source_usd in rows:
        diff = abs(Decimal(mart_usd or 0) - Decimal(source_usd or 0))
        out.append(
            Outcome(
                check="reconciliation_funding",
                target=_target(rule, "marts/fct_funding_by_mechanism"),
                name=f"funding reconciles to the source transactions: {mechanism}",
                severity=rule.get("severity", FATAL),
                passed=diff <= tol,
                observed=f"mart {_money(mart_usd)} USD",
                expected=f"source {_money(source_usd)} USD (difference {_money(diff)})",
                gates=tuple(rule.get("gates") or ()),
            )
        )
    return out


def reconciliation_trainees(
    con, q: Quarter, cfg: GateConfig, marts: dict[str, str]
) -> list[Outcome]:
    rule = cfg.rule("reconciliation_trainees")
    mart = marts["fct_workforce_impact"]
    rows = con.execute(
        f"""
        with reports as (
            select * from raw_workforce.training_reports
            qualify row_number() over (
                partition by recipient_org_id, quarter
                order by _loaded_at desc, _load_id desc, _source_file desc, _source_line desc) = 1
        ),
        source as (
            select quarter, sum(enrolled) as enrolled, sum(completed) as completed
            from reports where quarter <= ? group by 1
        )
        select coalesce(m.quarter, s.quarter), m.enrolled, s.enrolled, m.completed, s.completed
        from {mart} m full join source s using (quarter)
        where coalesce(m.quarter, s.quarter) <= ?
        order by 1
        """,
        [q.key, q.key],
    ).fetchall()
    bad = [
        f"{quarter}: mart {me}/{mc} vs reports {se}/{sc}"
        for quarter, me, se, mc, sc in rows
        if (me or 0) != (se or 0) or (mc or 0) != (sc or 0)
    ]
    totals = [sum(int(r[i] or 0) for r in rows) for i in (1, 2, 3, 4)]
    return [
        Outcome(
            check="reconciliation_trainees",
            target=_target(rule, "marts/fct_workforce_impact"),
            name="trainee totals equal the sum of the recipients' reports",
            severity=rule.get("severity", FATAL),
            passed=not bad,
            observed=(f"{len(bad)} quarters differ (enrolled/completed): " + _sample(bad))
            if bad
            else f"enrolled {totals[0]}, completed {totals[2]} over {len(rows)} quarters",
            expected=f"enrolled {totals[1]}, completed {totals[3]} (sum of the reports)",
            gates=tuple(rule.get("gates") or ()),
        )
    ]


def crossfeed(con, q: Quarter, cfg: GateConfig, marts: dict[str, str]) -> list[Outcome]:
    out = []
    rule = cfg.rule("crossfeed_supplier_facilities")
    unknown = [
        f"{r[0]} ({r[1]})"
        # Scoped to what the quarter's release is built from: the staged rows (a corrected file
        # supersedes the one it corrects) of quarters up to this one, against the crosswalk as
        # issued by the quarter's end. A bad file of a later quarter never blocks this one.
        for r in con.execute(
            """
            with reported as (
                select facility_id, 'weekly_production' as feed
                from staging.stg_supplier__weekly_production where quarter <= ?
                union
                select facility_id, 'input_sourcing'
                from staging.stg_supplier__input_sourcing where quarter <= ?
            )
            select facility_id, string_agg(distinct feed, ', ' order by feed) from reported
            where facility_id not in (select facility_id from staging.stg_agency__award_crosswalk
                                      where facility_id is not null and report_date <= ?)
            group by 1 order by 1
            """,
            [q.key, q.key, q.end],
        ).fetchall()
    ]
    out.append(
        Outcome(
            check="crossfeed_supplier_facilities",
            target=_target(rule, "raw/supplier/weekly_production"),
            name="supplier-report facilities exist in the award crosswalk",
            severity=rule.get("severity", FATAL),
            passed=not unknown,
            observed=f"{len(unknown)} facilities unknown to the crosswalk"
            + (": " + _sample(unknown) if unknown else ""),
            expected="every facility_id of weekly_production and input_sourcing in award_crosswalk",
            gates=tuple(rule.get("gates") or ()),
        )
    )
    rule = cfg.rule("crossfeed_line_facilities")
    orphans = [
        f"{r[0]} ({r[1]})"
        for r in con.execute(
            f"""
            select distinct line_id, facility_id from staging.stg_supplier__line_announcements
            where report_date <= ?
              and facility_id not in (select facility_id from {marts["dim_facilities"]})
            order by 1, 2
            """,
            [q.end],
        ).fetchall()
    ]
    out.append(
        Outcome(
            check="crossfeed_line_facilities",
            target=_target(rule, "raw/supplier/line_announcements"),
            name="deployment-report lines belong to known facilities",
            severity=rule.get("severity", FATAL),
            passed=not orphans,
            observed=f"{len(orphans)} lines of unknown facilities"
            + (": " + _sample(orphans) if orphans else ""),
            expected="every line_announcements.facility_id in dim_facilities",
            gates=tuple(rule.get("gates") or ()),
        )
    )
    return out


def anomalies(con, q: Quarter, cfg: GateConfig, marts: dict[str, str]) -> list[Outcome]:
    rule = cfg.rule("anomalies")
    out = []
    prev = q.previous().key
    for fig in rule.get("figures") or []:
        relation = marts[fig["mart"]]
        where = f"and ({fig['where']})" if fig.get("where") else ""
        agg = fig.get("aggregate", "sum")
        values = dict(
            con.execute(
                f"select quarter, {agg}({fig['column']}) from {relation} "
                f"where quarter in (?, ?) {where} group by 1",
                [prev, q.key],
            ).fetchall()
        )
        cur, before = values.get(q.key), values.get(prev)
        limit = float(fig["max_relative_change"])
        if cur is None or before is None or float(before) == 0:
            change, passed = None, True
        else:
            change = float(cur) / float(before) - 1
            passed = abs(change) <= limit
        shown = f"{change:+.1%}" if change is not None else "n/a"
        out.append(
            Outcome(
                check="anomalies",
                target=f"marts/{fig['mart']}",
                name=f"anomaly: {fig['name']} ({fig['mart']}.{fig['column']}) {prev} -> {q.key}",
                severity=rule.get("severity", WARNING),
                passed=passed,
                observed=f"{fig['name']} {prev} = {before}, {q.key} = {cur} ({shown})",
                expected=f"quarter-over-quarter change within ±{limit:.0%}",
                gates=(fig["mart"],),
            )
        )
    return out


def build_quarantine_table(con: duckdb.DuckDBPyConnection) -> None:
    """``audit.quarantine``: refused files and quarantined rows in one table analysts can query
    (it is copied into the published database with the audit schema). Values are not carried:
    the reasons name the column and the fault, never a personal value."""
    from orchestration.feeds.contracts import load_contracts

    contracts = load_contracts()
    refused = con.execute("select distinct feed, file from audit.refused_files").fetchall()
    routes = [
        (feed, file, getattr(contracts.route(feed, file), "name", None)) for feed, file in refused
    ]
    con.execute(
        'create or replace temp table _refused_routes (feed varchar, file varchar, "table" varchar)'
    )
    if routes:
        con.executemany("insert into _refused_routes values (?, ?, ?)", routes)
    con.execute(
        f"""
        create or replace table {QUARANTINE_TABLE} as
        select 'refused_file' as kind, r.feed, t."table", r.file,
               nullif(regexp_extract(r.file, '{_QUARTER_RE}', 1), '') as file_quarter,
               r.line, r."column", r.reason, r.load_id, r.sha256
        from audit.refused_files r
        left join _refused_routes t on t.feed = r.feed and t.file = r.file
        union all
        select 'quarantined_row', f.feed, q."table", q.file,
               nullif(regexp_extract(q.file, '{_QUARTER_RE}', 1), ''),
               q.line, q."column", q.reason, q.load_id, q.sha256
        from audit.quarantined_rows q
        left join (select distinct sha256, file, feed from audit.file_loads) f
          on f.sha256 = q.sha256 and f.file = q.file
        order by kind, feed, "table", file, line, "column", reason
        """
    )
    con.execute(
        f"comment on table {QUARANTINE_TABLE} is 'Refused files and quarantined rows of every "
        "ingest: kind, feed, table, file, quarter in the file name, line, column, reason, load id."
        " Built by the quality gate.'"
    )


def quarantine(con, q: Quarter, cfg: GateConfig) -> tuple[list[Outcome], list[tuple]]:
    """Per table: refused files and quarantined rows of the quarter. Returns outcomes and the
    quarter's quarantine rows (for the UI)."""
    rule = cfg.rule("quarantine")
    build_quarantine_table(con)
    scope = "(file_quarter = ? or file_quarter is null)"
    rows = con.execute(
        f'select kind, feed, "table", file, line, "column", reason, load_id '
        f'from {QUARANTINE_TABLE} where {scope} order by kind, feed, "table", file, line',
        [q.key],
    ).fetchall()
    loads = con.execute(
        f"""
        select feed, "table", sum(rows_loaded), sum(rows_quarantined)
        from audit.file_loads
        where status = 'loaded'
          and (regexp_extract(file, '{_QUARTER_RE}', 1) = ?
               or regexp_extract(file, '{_QUARTER_RE}', 1) = '')
        group by 1, 2
        """,
        [q.key],
    ).fetchall()
    stats = {(f, t): (int(a or 0), int(b or 0)) for f, t, a, b in loads}
    refused: dict[tuple, list[str]] = {}
    for kind, feed, table, file, *_ in rows:
        if kind == "refused_file":
            refused.setdefault((feed, table or "unrouted"), []).append(file)
    keys = sorted(set(stats) | set(refused), key=lambda k: (k[0] or "", k[1] or ""))
    share_limit = float(rule.get("fatal_share", 0.05))
    out = []
    for feed, table in keys:
        loaded, quarantined = stats.get((feed, table), (0, 0))
        files = sorted(set(refused.get((feed, table), [])))
        share = quarantined / (loaded + quarantined) if loaded + quarantined else 0.0
        fatal = share > share_limit or (bool(files) and rule.get("refused_file_fatal", False))
        passed = not files and not quarantined
        severity = FATAL if fatal else rule.get("severity", WARNING)
        observed = f"{quarantined} of {loaded + quarantined} rows quarantined ({share:.2%})"
        if files:
            observed += f"; {len(files)} files refused: " + _sample(files)
        out.append(
            Outcome(
                check="quarantine",
                target=f"raw/{feed}/{table}",
                name=f"quarantine: {feed}/{table} files of {q.key}",
                severity=severity,
                passed=passed,
                observed=observed,
                expected=f"no refused files and no quarantined rows (fatal above {share_limit:.0%}"
                " of the rows)",
                gates=tuple(rule.get("gates") or ()),
            )
        )
    return out, rows
