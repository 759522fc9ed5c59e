-- Tables, partitioned tables, views and materialized views in the requested schemas ($1),
-- without partitions and extension members; with the table comment and partition key, and for
-- a view the table columns its query reads (JSON `[[schema, table, column], …]`).
SELECT c.oid,
       n.nspname::text AS schema,
       c.relname::text AS name,
       c.relkind::text AS kind,
       d.description AS comment,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
       CASE WHEN c.relkind IN ('v', 'm') THEN (
         SELECT json_agg(json_build_array(u.schema, u.tbl, u.col))::text
         FROM (SELECT DISTINCT tn.nspname::text AS schema, tc.relname::text AS tbl,
                               a.attname::text AS col
               FROM pg_rewrite rw
               JOIN pg_depend dp ON dp.classid = 'pg_rewrite'::regclass AND dp.objid = rw.oid
                                AND dp.refclassid = 'pg_class'::regclass
                                AND dp.refobjsubid > 0 AND dp.refobjid <> c.oid
               JOIN pg_class tc ON tc.oid = dp.refobjid
               JOIN pg_namespace tn ON tn.oid = tc.relnamespace
               JOIN pg_attribute a ON a.attrelid = dp.refobjid AND a.attnum = dp.refobjsubid
               WHERE rw.ev_class = c.oid) u) END AS reads
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1)
  AND c.relkind IN ('r', 'p', 'v', 'm')
  AND NOT c.relispartition
  AND NOT EXISTS (SELECT 1 FROM pg_depend e
                  WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
