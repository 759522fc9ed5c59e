-- Domains in the requested schemas ($1): base type (with its kind, so user types keep their
-- schema), NOT NULL, default and CHECK constraints by name; extension members skipped.
SELECT n.nspname::text AS schema,
       t.typname::text AS name,
       format_type(t.typbasetype, t.typtypmod) AS type_text,
       bt.typtype::text AS type_kind,
       btn.nspname::text AS type_schema,
       bt.typname::text AS type_name,
       et.typtype::text AS elem_kind,
       etn.nspname::text AS elem_schema,
       et.typname::text AS elem_name,
       t.typnotnull AS not_null,
       pg_get_expr(t.typdefaultbin, 0) AS default_expr,
       ARRAY(SELECT c.conname::text FROM pg_constraint c
             WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname) AS check_names,
       ARRAY(SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c
             WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname) AS check_defs
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_type bt ON bt.oid = t.typbasetype
JOIN pg_namespace btn ON btn.oid = bt.typnamespace
LEFT JOIN pg_type et ON bt.typcategory = 'A' AND et.oid = bt.typelem
LEFT JOIN pg_namespace etn ON etn.oid = et.typnamespace
WHERE n.nspname = ANY($1)
  AND t.typtype = 'd'
  AND NOT EXISTS (SELECT 1 FROM pg_depend e
                  WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e')
