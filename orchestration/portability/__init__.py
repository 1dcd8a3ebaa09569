"""Running the same dbt project on a server database (PostgreSQL through dbt-postgres)."""
