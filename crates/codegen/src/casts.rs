//! What Postgres does with `ALTER COLUMN … TYPE` when no `USING` is given: whether an
//! assignment cast exists from the old type to the new one, and whether the change can lose data.
//! Conservative: an unknown pair has no cast and may lose data.

use autogen_schema::Type;

/// True when `ALTER COLUMN c TYPE to` succeeds without `USING` for a column of type `from`
/// (an assignment cast exists in `pg_cast`, or Postgres's I/O conversion to a string type).
pub(crate) fn assignment_cast_exists(from: &Type, to: &Type) -> bool {
    use Type::*;
    if from == to {
        return true;
    }
    let numeric = |t: &Type| matches!(t, SmallInt | Integer | BigInt | Real | Double | Numeric { .. });
    let string = |t: &Type| matches!(t, Text | Varchar { .. } | Char { .. });
    let temporal = |t: &Type| matches!(t, Date | Timestamp { .. });
    match (from, to) {
        // Any type converts to a string type by I/O conversion in assignment context.
        (_, t) if string(t) && !matches!(from, Array { .. }) => true,
        (a, b) if numeric(a) && numeric(b) => true,
        (a, b) if temporal(a) && temporal(b) => true,
        (Time { .. }, Time { .. }) | (Interval { .. }, Interval { .. }) => true,
        (Bit { .. }, Bit { .. }) => true,
        (Json, Jsonb) | (Jsonb, Json) => true,
        (Inet, Cidr) | (Cidr, Inet) => true,
        (Array { element: a }, Array { element: b }) => assignment_cast_exists(a, b),
        _ => false,
    }
}

/// True when every value of `from` fits `to` unchanged (a widening), so the change cannot lose
/// data or fail on existing rows.
pub(crate) fn is_widening(from: &Type, to: &Type) -> bool {
    use Type::*;
    fn rank(t: &Type) -> Option<u8> {
        match t {
            SmallInt => Some(1),
            Integer => Some(2),
            BigInt => Some(3),
            _ => None,
        }
    }
    if from == to {
        return true;
    }
    match (from, to) {
        (a, b) if rank(a).is_some() && rank(b).is_some() => rank(a) <= rank(b),
        (SmallInt | Integer | BigInt, Numeric { precision: None, .. }) => true,
        (Real, Double) => true,
        (Varchar { .. } | Char { .. } | Text, Text | Varchar { length: None }) => true,
        (Varchar { length: Some(a) }, Varchar { length: Some(b) }) => a <= b,
        (Numeric { .. }, Numeric { precision: None, .. }) => true,
        (Numeric { precision: Some(p1), scale: s1 }, Numeric { precision: Some(p2), scale: s2 }) => {
            let (s1, s2) = (s1.unwrap_or(0), s2.unwrap_or(0));
            s2 >= s1 && p2 - s2.min(*p2) >= p1 - s1.min(*p1)
        }
        (Timestamp { with_time_zone: false, .. }, Timestamp { with_time_zone: false, precision: None }) => true,
        (Timestamp { with_time_zone: true, .. }, Timestamp { with_time_zone: true, precision: None }) => true,
        (Json, Jsonb) | (Jsonb, Json) => false,
        (Array { element: a }, Array { element: b }) => is_widening(a, b),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casts_and_widenings() {
        assert!(assignment_cast_exists(&Type::Integer, &Type::BigInt));
        assert!(assignment_cast_exists(&Type::Integer, &Type::Text));
        assert!(!assignment_cast_exists(&Type::Text, &Type::Integer));
        assert!(!assignment_cast_exists(&Type::Integer, &Type::Boolean));
        assert!(is_widening(&Type::Integer, &Type::BigInt));
        assert!(!is_widening(&Type::BigInt, &Type::Integer));
        assert!(is_widening(&Type::varchar(Some(20)), &Type::Text));
        assert!(!is_widening(&Type::varchar(Some(20)), &Type::varchar(Some(10))));
        let num = |p, s| Type::Numeric { precision: Some(p), scale: Some(s) };
        assert!(is_widening(&num(10, 2), &num(12, 2)));
        assert!(!is_widening(&num(10, 2), &num(10, 3)));
    }
}
