-- name: compat
-- purpose: the DuckDB functions the tracker's SQL calls that PostgreSQL lacks, defined in PostgreSQL with DuckDB's meaning, so that queries/ stays one text for both stores (arg_max and arg_min are rewritten by dashboard/tracker/pg_sql.py: an aggregate of two independent types cannot be written in SQL)
-- params: none
create or replace function date_from_parts(y integer, m integer, d integer) returns date
    language sql immutable strict as $$ select make_date(y, m, d) $$;
create or replace function to_months(n integer) returns interval
    language sql immutable strict as $$ select make_interval(months => n) $$;
create or replace function to_days(n integer) returns interval
    language sql immutable strict as $$ select make_interval(days => n) $$;
create or replace function to_years(n integer) returns interval
    language sql immutable strict as $$ select make_interval(years => n) $$;
create or replace function round(x double precision, places integer) returns double precision
    language sql immutable strict as $$ select round(x::numeric, places)::double precision $$;
-- json_type: DuckDB's names of a JSON value's type
create or replace function json_type(value json) returns text
    language sql immutable strict as $$
    select case json_typeof(value)
        when 'object' then 'OBJECT' when 'array' then 'ARRAY' when 'string' then 'VARCHAR'
        when 'boolean' then 'BOOLEAN' when 'null' then 'NULL'
        else case when value::text ~ '^-?[0-9]+$' then 'BIGINT' else 'DOUBLE' end
    end $$;
-- json_merge_patch: RFC 7396, as DuckDB's (a NULL in the patch removes the key)
create or replace function json_merge_patch(target json, patch json) returns json
    language plpgsql immutable as $$
declare
    merged jsonb;
    item record;
begin
    if patch is null or json_typeof(patch) <> 'object' then
        return patch;
    end if;
    merged := case when target is not null and json_typeof(target) = 'object'
                   then target::jsonb else '{}'::jsonb end;
    for item in select key, value from json_each(patch) loop
        if json_typeof(item.value) = 'null' then
            merged := merged - item.key;
        else
            merged := merged || jsonb_build_object(
                item.key, json_merge_patch((merged -> item.key)::json, item.value)::jsonb);
        end if;
    end loop;
    return merged::json;
end $$;
