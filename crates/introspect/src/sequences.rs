//! Sequences (standalone and `serial`-owned; identity sequences belong to their column) and the
//! rule for which sequence options are Postgres's defaults.

use autogen_schema::{Sequence, SequenceOptions, Type};
use tokio_postgres::Row;

use crate::Error;
use crate::row::Reader;

/// Raw sequence parameters as `pg_sequence` stores them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RawOptions {
    pub start: i64,
    pub increment: i64,
    pub min: i64,
    pub max: i64,
    pub cache: i64,
    pub cycle: bool,
}

impl RawOptions {
    /// From a row with `seqstart`, `seqincrement`, `seqmin`, `seqmax`, `seqcache`, `seqcycle`;
    /// `None` when the row has no sequence (NULLs).
    pub(crate) fn from_row(row: &Row, r: Reader<'_>) -> Result<Option<RawOptions>, Error> {
        let start: Option<i64> = r.get(row, "seqstart")?;
        let Some(start) = start else { return Ok(None) };
        Ok(Some(RawOptions {
            start,
            increment: r.get(row, "seqincrement")?,
            min: r.get(row, "seqmin")?,
            max: r.get(row, "seqmax")?,
            cache: r.get(row, "seqcache")?,
            cycle: r.get(row, "seqcycle")?,
        }))
    }

    /// Only the options that differ from what Postgres would choose for a sequence of type `ty`
    /// with this increment: ascending min 1 / max type max, descending min type min / max -1,
    /// start = min (ascending) or max (descending), increment 1, cache 1, no cycle.
    pub(crate) fn non_default(&self, ty: &Type) -> SequenceOptions {
        let (type_min, type_max) = match ty {
            Type::SmallInt => (i16::MIN as i64, i16::MAX as i64),
            Type::Integer => (i32::MIN as i64, i32::MAX as i64),
            _ => (i64::MIN, i64::MAX),
        };
        let ascending = self.increment > 0;
        let (default_min, default_max) = if ascending {
            (1, type_max)
        } else {
            (type_min, -1)
        };
        let default_start = if ascending { self.min } else { self.max };
        let differs = |v: i64, d: i64| (v != d).then_some(v);
        SequenceOptions {
            start: differs(self.start, default_start),
            increment: differs(self.increment, 1),
            min_value: differs(self.min, default_min),
            max_value: differs(self.max, default_max),
            cache: differs(self.cache, 1),
            cycle: self.cycle,
        }
    }
}

/// A `sequences.sql` row as a model sequence.
pub(crate) fn lower(row: &Row, r: Reader<'_>) -> Result<Sequence, Error> {
    let ty = Type::parse_pg(&r.get::<String>(row, "type_text")?);
    let options = RawOptions::from_row(row, r)?
        .map(|o| o.non_default(&ty))
        .unwrap_or_default();
    let owned_table: Option<String> = r.get(row, "owned_table")?;
    let owned_column: Option<String> = r.get(row, "owned_column")?;
    Ok(Sequence {
        schema: r.get(row, "schema")?,
        name: r.get(row, "name")?,
        ty,
        options,
        owned_by: owned_table.zip(owned_column),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(start: i64, increment: i64, min: i64, max: i64) -> RawOptions {
        RawOptions {
            start,
            increment,
            min,
            max,
            cache: 1,
            cycle: false,
        }
    }

    #[test]
    fn defaults_depend_on_type_and_direction() {
        assert!(
            raw(1, 1, 1, i32::MAX as i64)
                .non_default(&Type::Integer)
                .is_default()
        );
        assert!(
            raw(1, 1, 1, i64::MAX)
                .non_default(&Type::BigInt)
                .is_default()
        );
        assert!(
            raw(1, 1, 1, i16::MAX as i64)
                .non_default(&Type::SmallInt)
                .is_default()
        );
        let o = raw(1, 1, 1, i64::MAX).non_default(&Type::Integer);
        assert_eq!(o.max_value, Some(i64::MAX));
        // Descending: only the increment differs; min, max and start follow it.
        let o = raw(-1, -1, i32::MIN as i64, -1).non_default(&Type::Integer);
        assert_eq!(
            o,
            SequenceOptions {
                increment: Some(-1),
                ..Default::default()
            }
        );
        // START follows a changed MINVALUE, so only MINVALUE is stored.
        let o = raw(10, 1, 10, i32::MAX as i64).non_default(&Type::Integer);
        assert_eq!((o.start, o.min_value), (None, Some(10)));
        let o = raw(100, 5, 1, i64::MAX).non_default(&Type::BigInt);
        assert_eq!((o.start, o.increment), (Some(100), Some(5)));
    }
}
