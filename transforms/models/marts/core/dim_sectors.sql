with sectors as (
    select * from {{ ref('sectors') }}
)

select
    cast(sector_code as varchar) as sector,
    cast(sector_name as varchar) as sector_name,
    cast(end_uses as varchar) as end_uses,
    cast(key_materials as varchar) as key_materials,
    {{ quarter_columns(release_quarter()) }}
from sectors
