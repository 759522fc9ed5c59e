-- Primary keys, foreign keys and checks of the tables in the requested schemas ($1). Unique
-- constraints come with the indexes. Columns in key order; inherited copies (on partitions,
-- or toward partitions of a referenced partitioned table) are skipped.
SELECT con.conrelid AS table_oid,
       con.conname::text AS name,
       con.contype::text AS kind,
       pg_get_constraintdef(con.oid) AS definition,
       ARRAY(SELECT a.attname::text
             FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS columns,
       fn.nspname::text AS ref_schema,
       fc.relname::text AS ref_table,
       ARRAY(SELECT a.attname::text
             FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS ref_columns,
       con.confupdtype::text AS on_update,
       con.confdeltype::text AS on_delete,
       con.confmatchtype::text AS match_type,
       con.condeferrable AS deferrable,
       con.condeferred AS deferred,
       con.connoinherit AS no_inherit,
       NOT con.convalidated AS not_valid
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE n.nspname = ANY($1)
  AND c.relkind IN ('r', 'p')
  AND NOT c.relispartition
  AND con.contype IN ('p', 'f', 'c')
  AND con.conparentid = 0
