//! Months as integers: `year * 12 + (month - 1)`, so arithmetic on months is plain
//! integer arithmetic and the engine never handles dates.

use std::fmt;

/// A calendar month, counted from year 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(pub i32);

impl Month {
    pub fn new(year: i32, month: u32) -> Month {
        Month(year * 12 + month as i32 - 1)
    }
    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }
    /// 0 = January … 11 = December.
    pub fn month0(self) -> u32 {
        self.0.rem_euclid(12) as u32
    }
    /// Parses `"YYYY-MM"`.
    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let y: i32 = y.parse().ok()?;
        let m: u32 = m.parse().ok()?;
        (1..=12).contains(&m).then(|| Month::new(y, m))
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month0() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_display_round_trip() {
        let m = Month::parse("2019-09").unwrap();
        assert_eq!(m.year(), 2019);
        assert_eq!(m.month0(), 8);
        assert_eq!(m.to_string(), "2019-09");
        assert_eq!(Month(m.0 + 48).to_string(), "2023-09");
        assert_eq!(Month(m.0 - 48).to_string(), "2015-09");
    }

    #[test]
    fn rejects_malformed_months() {
        for s in ["2019-13", "2019-00", "19-09", "2019/09", "2019-9", ""] {
            assert!(Month::parse(s).is_none(), "{s}");
        }
    }
}
