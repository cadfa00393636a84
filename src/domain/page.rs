use serde::{Deserialize, Serialize};

/// A 1-based page number of a paginated list, parsed leniently from a query string: anything
/// that is not a positive number is the first page, so a hand-edited URL never errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageNumber(u32);

impl PageNumber {
    pub const FIRST: PageNumber = PageNumber(1);
    /// A bound far above any real list, so that offsets never overflow.
    const MAX: u32 = 10_000;

    pub fn parse(raw: Option<&str>) -> PageNumber {
        raw.and_then(|r| r.trim().parse::<u32>().ok())
            .filter(|n| (1..=Self::MAX).contains(n))
            .map_or(Self::FIRST, PageNumber)
    }

    pub fn get(self) -> u32 {
        self.0
    }

    pub fn offset(self, page_size: u32) -> u32 {
        (self.0 - 1) * page_size
    }

    /// How many pages `total` items fill at `page_size` a page (at least one, empty or not).
    pub fn count(total: u64, page_size: u32) -> u32 {
        u32::try_from(total.div_ceil(u64::from(page_size.max(1))))
            .unwrap_or(u32::MAX)
            .max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anything_but_a_positive_number_is_the_first_page() {
        for raw in [None, Some(""), Some("0"), Some("-3"), Some("abc"), Some("99999999999")] {
            assert_eq!(PageNumber::parse(raw), PageNumber::FIRST, "{raw:?}");
        }
        assert_eq!(PageNumber::parse(Some(" 3 ")).get(), 3);
        assert_eq!(PageNumber::parse(Some("3")).offset(9), 18);
    }
}
