-- Every installed extension, plpgsql aside (every database has it), in any schema: a declared
-- extension installed outside the compared schemas ($1, `compared`) is there, not missing,
-- with the objects outside the extension that depend on its members (an index using one of
-- its operator classes, a column of one of its types, another extension): such an extension
-- is never dropped while they stay.
WITH dep AS (
    SELECT m.refobjid AS ext,
           d.classid, d.objid, d.objsubid
    FROM pg_depend m
    JOIN pg_depend d ON d.refclassid = m.classid AND d.refobjid = m.objid
                    AND d.deptype = 'n'
    WHERE m.refclassid = 'pg_extension'::regclass AND m.deptype = 'e'
      -- Neither a member itself nor part of one (an operator family's operators and support
      -- functions depend on it automatically).
      AND NOT EXISTS (SELECT 1 FROM pg_depend x
                      WHERE x.classid = d.classid AND x.objid = d.objid
                        AND x.refclassid = 'pg_extension'::regclass AND x.deptype = 'e')
      AND NOT EXISTS (SELECT 1 FROM pg_depend x
                      JOIN pg_depend xm ON xm.classid = x.refclassid AND xm.objid = x.refobjid
                                       AND xm.refclassid = 'pg_extension'::regclass
                                       AND xm.refobjid = m.refobjid AND xm.deptype = 'e'
                      WHERE x.classid = d.classid AND x.objid = d.objid
                        AND x.deptype IN ('a', 'i'))
    UNION
    SELECT d.refobjid, d.classid, d.objid, d.objsubid
    FROM pg_depend d
    WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'n'
)
SELECT e.extname::text AS name,
       n.nspname::text AS schema,
       n.nspname = ANY($1) AS compared,
       e.extversion::text AS version,
       ARRAY(SELECT DISTINCT pg_describe_object(dep.classid, dep.objid, dep.objsubid)
             FROM dep WHERE dep.ext = e.oid
             ORDER BY 1) AS dependents,
       ARRAY(SELECT DISTINCT cn.nspname || '.' || c.relname
             FROM dep
             JOIN pg_class c ON dep.classid = 'pg_class'::regclass AND c.oid = dep.objid
                            AND c.relkind IN ('i', 'I') AND dep.objsubid = 0
             JOIN pg_namespace cn ON cn.oid = c.relnamespace
             WHERE dep.ext = e.oid
             ORDER BY 1) AS dependent_indexes
FROM pg_extension e
JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql'
ORDER BY e.extname
