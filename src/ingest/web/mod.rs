//! Web captures into articles: pages saved by a crawler, as text renderings or as HTML, are
//! turned into articles with their metadata, pages of one article are stitched in order, and
//! the originals are kept byte for byte as provenance.
//!
//! Extraction goes by structure and evidence (line shapes, positions relative to the date and
//! the title, lines repeated across pages of one site), not by one site's phrases.

mod decode;
mod html;
mod markdown;
mod stitch;
mod text;
mod update;

pub use stitch::{stitch, Article as WebArticle, PageSource};
pub use update::{import_web, ImportError, ImportOptions, ImportReport};

use crate::model::IsoDate;
use serde::Serialize;

/// One block of article text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Block {
    Heading {
        level: u8,
        text: String,
    },
    Paragraph {
        text: String,
    },
    Quote {
        text: String,
    },
    List {
        ordered: bool,
        items: Vec<String>,
    },
    Image {
        src: String,
        alt: Option<String>,
    },
    /// Where a page of a multi-page article begins (written as an HTML comment).
    PageStart {
        page: u32,
        source: String,
    },
}

/// What one captured page holds: one page of one article.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Page {
    /// The capture's file name.
    pub source: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deck: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<IsoDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<IsoDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_name: Option<String>,
    /// This page's number, when the capture marks it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// The article's page count, when the capture gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_count: Option<u32>,
    /// The pages the page bar lists.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub page_bar: Vec<u32>,
    pub blocks: Vec<Block>,
}

/// Why a capture could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct CaptureError {
    pub file: String,
    pub message: String,
    /// What the article extraction reported, where it failed.
    #[source]
    pub cause: Option<dom_smoothie::ReadabilityError>,
}

impl CaptureError {
    pub(crate) fn new(file: &str, message: impl Into<String>) -> Self {
        CaptureError {
            file: file.to_string(),
            message: message.into(),
            cause: None,
        }
    }

    /// The article extraction failed: `message` says at which step.
    pub(crate) fn extraction(
        file: &str,
        message: &str,
    ) -> impl FnOnce(dom_smoothie::ReadabilityError) -> Self {
        let error = CaptureError::new(file, message);
        move |cause| CaptureError {
            cause: Some(cause),
            ..error
        }
    }
}

/// Reads one capture (text rendering or HTML, in any common encoding) into a page.
/// `others` are the texts of the other captures of the same batch, whose repeated lines are
/// taken as site chrome.
pub fn extract(file: &str, bytes: &[u8], others: &[String]) -> Result<Page, CaptureError> {
    let decoded = decode::decode(file, bytes)?;
    if decoded.is_html {
        html::extract(file, &decoded.text)
    } else {
        text::extract(file, &decoded.text, others)
    }
}

/// Decodes a capture to text without extracting (for the chrome statistics of a batch).
pub fn decode_text(file: &str, bytes: &[u8]) -> Result<String, CaptureError> {
    decode::decode(file, bytes).map(|d| d.text)
}

/// Parses a date as captures write it: `June 9, 2010`, `9 June 2010`, `2010-06-09`, `2010/06/09`,
/// or an RFC 3339 date-time (its date is taken).
pub fn parse_date(text: &str) -> Option<IsoDate> {
    let text = text.trim().trim_end_matches('.');
    let formats = [
        "%B %d, %Y",
        "%b %d, %Y",
        "%d %B %Y",
        "%d %b %Y",
        "%Y-%m-%d",
        "%Y/%m/%d",
        "%B %d %Y",
    ];
    let date = formats
        .iter()
        .find_map(|f| chrono::NaiveDate::parse_from_str(text, f).ok())
        .or_else(|| {
            chrono::DateTime::parse_from_rfc3339(text)
                .ok()
                .map(|d| d.date_naive())
        })
        .or_else(|| {
            text.get(..10)
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        })?;
    date.format("%Y-%m-%d").to_string().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_captures_write_them() {
        for (text, iso) in [
            ("June 9, 2010", "2010-06-09"),
            ("Jun 9, 2010", "2010-06-09"),
            ("9 June 2010", "2010-06-09"),
            ("2010-06-09", "2010-06-09"),
            ("2010/06/09", "2010-06-09"),
            ("2010-06-09T08:30:00+08:00", "2010-06-09"),
        ] {
            assert_eq!(
                parse_date(text).map(|d| d.to_string()).as_deref(),
                Some(iso),
                "{text}"
            );
        }
        assert_eq!(parse_date("June 31, 2010"), None);
        assert_eq!(parse_date("yesterday"), None);
    }
}
