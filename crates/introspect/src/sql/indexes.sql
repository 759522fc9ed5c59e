-- Indexes of the tables in the requested schemas ($1), except primary keys and exclusion
-- constraints: per key its column (attnum > 0) or expression text, DESC / NULLS FIRST bits
-- (indoption), a non-default operator class and collation; INCLUDE columns; the predicate;
-- the access method; whether a UNIQUE constraint backs it; whether it is invalid (a failed
-- concurrent build).
SELECT i.indrelid AS table_oid,
       ic.relname::text AS name,
       i.indisunique AS is_unique,
       am.amname::text AS method,
       i.indnkeyatts::int AS key_count,
       ARRAY(SELECT CASE WHEN k.attnum <> 0 THEN a.attname::text
                         ELSE pg_get_indexdef(i.indexrelid, k.ord::int, false) END
             FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
             LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS parts,
       ARRAY(SELECT k.attnum <> 0
             FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
             ORDER BY k.ord) AS is_column,
       ARRAY(SELECT o FROM unnest(i.indoption::int2[]) WITH ORDINALITY u(o, ord) ORDER BY u.ord) AS options,
       ARRAY(SELECT CASE WHEN opc.opcdefault THEN NULL
                         WHEN opn.nspname = 'pg_catalog' THEN opc.opcname::text
                         ELSE opn.nspname || '.' || opc.opcname END
             FROM unnest(i.indclass::oid[]) WITH ORDINALITY k(opc_oid, ord)
             JOIN pg_opclass opc ON opc.oid = k.opc_oid
             JOIN pg_namespace opn ON opn.oid = opc.opcnamespace
             ORDER BY k.ord) AS opclasses,
       ARRAY(SELECT CASE WHEN k.coll = 0 OR co.oid IS NULL THEN NULL
                         WHEN k.coll = coalesce(a.attcollation, 100) THEN NULL
                         WHEN k.attnum = 0 AND k.coll = 100 THEN NULL
                         WHEN cn.nspname = 'pg_catalog' THEN co.collname::text
                         ELSE cn.nspname || '.' || co.collname END
             FROM unnest(i.indcollation::oid[], i.indkey::int2[]) WITH ORDINALITY k(coll, attnum, ord)
             LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum <> 0
             LEFT JOIN pg_collation co ON co.oid = k.coll
             LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
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
