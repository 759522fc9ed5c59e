-- Indexes of the tables in the requested schemas ($1), except primary keys and exclusion
-- constraints: per key its column (attnum > 0) or expression text, DESC / NULLS FIRST bits
-- (indoption), a non-default operator class and collation; INCLUDE columns; the predicate;
-- the access method; whether a UNIQUE constraint backs it; whether it is invalid (a failed
-- concurrent build). The per-key lookups are scalar subqueries by oid (index scans): a join
-- against the unnested keys is planned as a scan of pg_collation / pg_opclass per index, which
-- costs seconds at tens of thousands of indexes (a database with many tenant schemas).
SELECT i.indrelid AS table_oid,
       ic.relname::text AS name,
       i.indisunique AS is_unique,
       am.amname::text AS method,
       i.indnkeyatts::int AS key_count,
       ARRAY(SELECT CASE WHEN k.attnum <> 0
                         THEN (SELECT a.attname::text FROM pg_attribute a
                               WHERE a.attrelid = i.indrelid AND a.attnum = k.attnum)
                         ELSE pg_get_indexdef(i.indexrelid, k.ord::int, false) END
             FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
             ORDER BY k.ord) AS parts,
       ARRAY(SELECT k.attnum <> 0
             FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
             ORDER BY k.ord) AS is_column,
       ARRAY(SELECT o FROM unnest(i.indoption::int2[]) WITH ORDINALITY u(o, ord) ORDER BY u.ord) AS options,
       ARRAY(SELECT (SELECT CASE WHEN opc.opcdefault THEN NULL
                                 WHEN opc.opcnamespace = 'pg_catalog'::regnamespace
                                 THEN opc.opcname::text
                                 ELSE (SELECT opn.nspname FROM pg_namespace opn
                                       WHERE opn.oid = opc.opcnamespace)
                                      || '.' || opc.opcname END
                     FROM pg_opclass opc
                     WHERE opc.oid = k.opc_oid)
             FROM unnest(i.indclass::oid[]) WITH ORDINALITY k(opc_oid, ord)
             ORDER BY k.ord) AS opclasses,
       ARRAY(SELECT CASE WHEN k.coll = 0 THEN NULL
                         WHEN k.coll = coalesce((SELECT a.attcollation FROM pg_attribute a
                                                 WHERE a.attrelid = i.indrelid
                                                   AND a.attnum = k.attnum AND k.attnum <> 0),
                                                100) THEN NULL
                         WHEN k.attnum = 0 AND k.coll = 100 THEN NULL
                         ELSE (SELECT CASE WHEN co.collnamespace = 'pg_catalog'::regnamespace
                                           THEN co.collname::text
                                           ELSE (SELECT cn.nspname FROM pg_namespace cn
                                                 WHERE cn.oid = co.collnamespace)
                                                || '.' || co.collname END
                               FROM pg_collation co
                               WHERE co.oid = k.coll) END
             FROM unnest(i.indcollation::oid[], i.indkey::int2[]) WITH ORDINALITY k(coll, attnum, ord)
             ORDER BY k.ord) AS collations,
       pg_get_expr(i.indpred, i.indrelid) AS predicate,
       con.contype::text AS constraint_kind,
       {NULLS_NOT_DISTINCT} AS nulls_not_distinct,
       NOT i.indisvalid AS invalid,
       coalesce(con.condeferrable, false) AS deferrable,
       coalesce(con.condeferred, false) AS initially_deferred
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN pg_constraint con
       ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')
WHERE n.nspname = ANY($1)
  AND c.relkind IN ('r', 'p')
  AND NOT c.relispartition
  AND NOT i.indisprimary
  AND (con.contype IS NULL OR con.contype = 'u')
