-- Columns of the tables in the requested schemas ($1), in ordinal order: canonical type text,
-- the type's kind (and its element's, for arrays) so user types keep their schema, default or
-- generation expression, identity and its sequence's options, non-default collation, comment.
SELECT a.attrelid AS table_oid,
       a.attname::text AS name,
       format_type(a.atttypid, a.atttypmod) AS type_text,
       t.typtype::text AS type_kind,
       tn.nspname::text AS type_schema,
       t.typname::text AS type_name,
       et.typtype::text AS elem_kind,
       etn.nspname::text AS elem_schema,
       et.typname::text AS elem_name,
       a.attnotnull AS not_null,
       pg_get_expr(ad.adbin, ad.adrelid) AS default_expr,
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       CASE WHEN co.oid IS NOT NULL THEN
         CASE WHEN con.nspname = 'pg_catalog' THEN co.collname::text
              ELSE con.nspname || '.' || co.collname END
       END AS collation,
       d.description AS comment,
       s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
JOIN pg_namespace tn ON tn.oid = t.typnamespace
LEFT JOIN pg_type et ON t.typcategory = 'A' AND et.oid = t.typelem
LEFT JOIN pg_namespace etn ON etn.oid = et.typnamespace
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> t.typcollation
LEFT JOIN pg_namespace con ON con.oid = co.collnamespace
LEFT JOIN pg_description d
       ON d.objoid = a.attrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
LEFT JOIN pg_depend dep
       ON a.attidentity <> '' AND dep.refclassid = 'pg_class'::regclass
      AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum
      AND dep.classid = 'pg_class'::regclass AND dep.deptype = 'i'
LEFT JOIN pg_sequence s ON s.seqrelid = dep.objid
WHERE n.nspname = ANY($1)
  AND c.relkind IN ('r', 'p')
  AND NOT c.relispartition
  AND a.attnum > 0
  AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
