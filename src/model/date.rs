//! Calendar dates as ISO 8601 gives them, with the precision the source has: a magazine's
//! cover date may be a month (`2010-06`), an article's update a day (`2010-06-09`).

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl FromStr for IsoDate {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not an ISO 8601 date (YYYY-MM-DD, YYYY-MM or YYYY)");
        let parts: Vec<&str> = s.split('-').collect();
        let lengths: Vec<usize> = parts.iter().map(|p| p.len()).collect();
        if !matches!(lengths.as_slice(), [4] | [4, 2] | [4, 2, 2])
            || !s.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        {
            return Err(bad());
        }
        let year: i32 = parts[0].parse().map_err(|_| bad())?;
        let month: Option<u32> = parts
            .get(1)
            .map(|m| m.parse())
            .transpose()
            .map_err(|_| bad())?;
        let day: Option<u32> = parts
            .get(2)
            .map(|d| d.parse())
            .transpose()
            .map_err(|_| bad())?;
        let valid = NaiveDate::from_ymd_opt(year, month.unwrap_or(1), day.unwrap_or(1)).is_some();
        if !valid {
            return Err(format!("`{s}` is not a date of the calendar"));
        }
        Ok(IsoDate { year, month, day })
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
        }
        if let Some(day) = self.day {
            write!(f, "-{day:02}")?;
        }
        Ok(())
    }
}

impl Serialize for IsoDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for IsoDate {
    /// Accepts a string or a TOML date (`updated = 2010-06-09`); a TOML date-time is refused,
    /// since a date is meant.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Input {
            Text(String),
            Toml(toml::value::Datetime),
        }
        let text = match Input::deserialize(d)
            .map_err(|_| serde::de::Error::custom("expected a date like \"2010-06-09\""))?
        {
            Input::Text(text) => text,
            Input::Toml(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
            Input::Toml(dt) => {
                return Err(serde::de::Error::custom(format!(
                    "`{dt}` has a time: give a date like 2010-06-09"
                )))
            }
        };
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_is_kept() {
        for text in ["2010", "2010-06", "2010-06-09", "2024-02-29"] {
            assert_eq!(text.parse::<IsoDate>().unwrap().to_string(), text);
        }
        for bad in [
            "2010-6-9",
            "2010-13",
            "2023-02-29",
            "June 9, 2010",
            "20100609",
            "2010-06-09T00:00",
        ] {
            assert!(bad.parse::<IsoDate>().is_err(), "{bad}");
        }
    }

    #[derive(Deserialize)]
    struct Dated {
        date: IsoDate,
    }

    fn from_toml(value: &str) -> Result<IsoDate, String> {
        toml::from_str::<Dated>(&format!("date = {value}"))
            .map(|d| d.date)
            .map_err(|e| e.message().to_string())
    }

    #[test]
    fn a_toml_date_or_a_string_is_read_and_a_time_refused() {
        assert_eq!(from_toml("2010-06-09").unwrap().to_string(), "2010-06-09");
        assert_eq!(from_toml("\"2010-06\"").unwrap().to_string(), "2010-06");
        let time = from_toml("2010-06-09T10:00:00Z").unwrap_err();
        assert!(time.contains("has a time"), "{time}");
        let number = from_toml("2010").unwrap_err();
        assert!(number.contains("expected a date"), "{number}");
        let impossible = from_toml("\"2010-02-30\"").unwrap_err();
        assert!(
            impossible.contains("not a date of the calendar"),
            "{impossible}"
        );
    }

    #[test]
    fn dates_order_by_year_then_month_then_day() {
        let dates: Vec<IsoDate> = ["2010", "2010-06", "2010-06-09", "2009-12-31"]
            .iter()
            .map(|d| d.parse().unwrap())
            .collect();
        let mut sorted = dates.clone();
        sorted.sort();
        let shown: Vec<String> = sorted.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["2009-12-31", "2010", "2010-06", "2010-06-09"]);
        assert_eq!(
            "2024-02-29".parse::<IsoDate>().unwrap(),
            IsoDate {
                year: 2024,
                month: Some(2),
                day: Some(29)
            }
        );
        assert!(
            "1900-02-29".parse::<IsoDate>().is_err(),
            "1900 is no leap year"
        );
    }
}
