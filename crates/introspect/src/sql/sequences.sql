-- Sequences in the requested schemas ($1) that are not an identity column's own, with their
-- options and the column a `serial` sequence is OWNED BY; extension members skipped.
SELECT n.nspname::text AS schema,
       c.relname::text AS name,
       format_type(s.seqtypid, NULL) AS type_text,
       s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
       oc.relname::text AS owned_table,
       oa.attname::text AS owned_column
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_depend d
       ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
      AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0 AND d.deptype = 'a'
LEFT JOIN pg_class oc ON oc.oid = d.refobjid
LEFT JOIN pg_attribute oa ON oa.attrelid = d.refobjid AND oa.attnum = d.refobjsubid
WHERE n.nspname = ANY($1)
  AND NOT EXISTS (SELECT 1 FROM pg_depend i
                  WHERE i.classid = 'pg_class'::regclass AND i.objid = c.oid AND i.deptype IN ('i', 'e'))
