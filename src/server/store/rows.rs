//! Reading stored values back into Rust types, the same way for every engine: a value that does
//! not fit its type is reported as corrupt data, never clamped to a default.
use super::StoreError;
use crate::domain::Lang;

/// An integer column as the type the records use (`u32` seats, `u8` ages …).
pub(crate) fn int<T: TryFrom<i64>>(value: i64, what: impl FnOnce() -> String) -> Result<T, StoreError> {
    T::try_from(value).map_err(|_| StoreError::Corrupt(format!("{}: {value} out of range", what())))
}

/// A count (`COUNT(*)`, a length) as an unsigned number.
pub(crate) fn count(value: i64) -> Result<u64, StoreError> {
    int(value, || "count".to_owned())
}

pub(crate) fn lang(raw: &str, what: impl FnOnce() -> String) -> Result<Lang, StoreError> {
    raw.parse()
        .map_err(|_| StoreError::Corrupt(format!("{}: language {raw:?}", what())))
}

/// A length or position for an integer column.
pub(crate) fn to_i64(value: usize) -> i64 {
    // No list the portal stores comes near 2^63 items.
    i64::try_from(value).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_values_are_corrupt_not_clamped() {
        assert_eq!(int::<u8>(7, || "age".into()).unwrap(), 7);
        assert!(matches!(int::<u8>(300, || "age".into()), Err(StoreError::Corrupt(m)) if m.contains("age")));
        assert!(matches!(
            int::<u32>(-1, || "capacity".into()),
            Err(StoreError::Corrupt(_))
        ));
        assert!(count(-5).is_err());
        assert!(lang("de", || "post 1".into()).is_err());
        assert_eq!(lang("en", || "post 1".into()).unwrap(), Lang::En);
    }
}
