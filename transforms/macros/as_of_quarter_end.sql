{#
    Status feeds (line announcements, milestone reports) are re-sent every quarter. For each
    reported quarter, keep each entity's latest report on or before the quarter's last day: the
    state the release of that quarter describes. Expects the calling model to have import CTEs for
    the reports and for int_calendar__quarters.
#}
{% macro latest_report_as_of_quarter_end(reports, key, quarters='quarters') -%}
    select * from (
        select
            {{ quarters }}.quarter,
            {{ quarters }}.quarter_end,
            {{ reports }}.*,
            row_number() over (
                partition by {{ reports }}.{{ key }}, {{ quarters }}.quarter
                order by {{ reports }}.report_date desc
            ) as _report_rank
        from {{ quarters }}
        inner join {{ reports }} on {{ quarters }}.quarter_end >= {{ reports }}.report_date
        where {{ quarters }}.is_reported
    ) as latest_reports
    where latest_reports._report_rank = 1
{%- endmacro %}
