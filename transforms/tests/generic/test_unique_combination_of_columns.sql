{#- Primary-key test for a multi-column grain (written here to avoid a dbt_utils download at run time).
    Nulls compare equal, as group by treats them. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
select {{ combination_of_columns | join(', ') }}, count(*) as n_rows
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{% endtest %}
