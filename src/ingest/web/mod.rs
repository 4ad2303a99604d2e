//! Web captures into articles: pages saved by a crawler, as text renderings or as HTML, are
//! turned into articles with their metadata, pages of one article are stitched in order, and
//! the originals are kept byte for byte as provenance.
//!
//! Extraction goes by structure and evidence (line shapes, positions relative to the date and
//! the title, lines repeated across pages of one site), not by one site's phrases.

mod decode;
mod html;
mod inputs;
mod issue_file;
mod markdown;
mod places;
mod stitch;
mod text;
mod update;
mod warc;

pub use html::{capture_time, Origin};
pub use stitch::{stitch, Article as WebArticle};
pub use update::{import_web, ImportError, ImportOptions, ImportReport};

use crate::model::{IsoDate, Pages};
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
    /// An image standing alone, with the caption (and credit) a figure gives it, in the body
    /// dialect.
    Image {
        src: String,
        alt: Option<String>,
        caption: Option<String>,
        /// Who made the picture, apart from its caption.
        credit: Option<String>,
        /// Larger renderings the page offers (its `srcset`'s, the largest first): a capture
        /// that saved one of them gives it rather than `src`.
        larger: Vec<String>,
        /// The renderings a `picture`'s sources offer (an AVIF, a WebP), the largest first:
        /// a capture that saved only one of them, as its browser showed it, gives it.
        sources: Vec<String>,
    },
    /// A block already written in the body dialect: an HTML capture's paragraphs with their
    /// inline markup, lists, quotes, code, tables, definition lists, footnotes.
    Markdown {
        text: String,
    },
    /// Where a page of a multi-page article begins (written as an HTML comment).
    PageStart {
        page: u32,
        source: String,
    },
}

/// How a capture's warning ends when it cannot tell which page of its article it holds (a
/// manifest that gives the pages in order settles it).
pub(crate) const PAGE_UNKNOWN: &str = "so which page it holds is not known";

/// What a capture says of its article: kept per page, and merged over the pages of one article.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Metadata {
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
    /// The section the page files the article under (the manifest's or `--section` outrank
    /// it).
    #[serde(skip)]
    pub section: Option<String>,
    /// The printed issue the page says the article is in (`NO. 23 JUNE 6, 2024` after a
    /// magazine's date line).
    #[serde(skip)]
    pub printed: Option<PrintedIssue>,
}

/// A magazine's printed issue as its web edition names it beside an article's date: its
/// number and its cover date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedIssue {
    pub number: String,
    pub date: Option<IsoDate>,
}

/// What one captured page holds: one page of one article. It is read and stitched, never
/// written out as it is: the import reports and stores the stitched [`WebArticle`].
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// The capture's file name.
    pub source: String,
    pub meta: Metadata,
    /// What the capture shows of the article's pages: this page's number where it marks it,
    /// the page count where it gives it, the pages its page bar lists (`missing` stays empty:
    /// one page cannot tell, the stitched article can).
    pub pages: Pages,
    /// When the capture was made, as the capture itself says (RFC 3339).
    pub captured: Option<String>,
    /// The WARC record the page was read from.
    pub warc: Option<WarcRecord>,
    pub blocks: Vec<Block>,
    /// What the reader should know about this capture (content left out, an encoding
    /// decided against the page's declaration, a page bar ignored).
    pub warnings: Vec<String>,
}

/// The record of a web archive (WARC) file a capture was read from: its WARC-Record-ID, and
/// the name and sha256 of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcRecord {
    pub record: String,
    pub original: String,
    pub original_sha256: String,
}

/// The most pages an article's page bar may name: more is a listing, not an article.
pub(crate) const MAX_PAGES: u32 = 50;

/// What a page bar must be to give an article's pages: numbers from 1 up, consecutive, none
/// beyond [`MAX_PAGES`], no gap, and some evidence that it is this article's (a current page,
/// links to the same article, navigation words).
pub(crate) struct PageBarCheck<'a> {
    pub listed: &'a [u32],
    pub current: Option<u32>,
    pub evidence: bool,
    pub gap: bool,
}

impl PageBarCheck<'_> {
    /// `Ok`, or why these numbers are not this article's pages.
    pub fn verdict(&self) -> Result<(), String> {
        let mut sorted = self.listed.to_vec();
        sorted.sort();
        sorted.dedup();
        if sorted.first() == Some(&0) {
            return Err("page 0 does not exist".into());
        }
        if let Some(last) = sorted.last().filter(|n| **n > MAX_PAGES) {
            return Err(format!("page {last} is more than an article has"));
        }
        if self.gap || sorted.windows(2).any(|w| w[1] != w[0] + 1) {
            return Err("its numbers are not consecutive pages, as a listing's are".into());
        }
        if self.current.is_some_and(|c| !sorted.contains(&c)) {
            return Err("the current page is not among them".into());
        }
        if !self.evidence {
            return Err(
                "no page is marked current and none of the numbers leads to this article".into(),
            );
        }
        Ok(())
    }
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
/// taken as site chrome; `origin` is what the capture's container (a WARC record) says.
pub fn extract(
    file: &str,
    bytes: &[u8],
    others: &[String],
    origin: &Origin,
) -> Result<Page, CaptureError> {
    let decoded = decode::decode(file, bytes, origin.charset.as_deref())?;
    let is_html = match origin.media_type.as_deref() {
        Some(media) => media.contains("html"),
        None => decoded.is_html,
    };
    let mut page = if is_html {
        html::extract(file, &decoded.text, origin)?
    } else {
        let mut page = text::extract(file, &decoded.text, others)?;
        page.meta.url = origin.url.clone();
        page.captured = origin.captured.clone();
        page
    };
    page.warc = origin.warc.clone();
    let mut warnings = decoded.warnings;
    warnings.append(&mut page.warnings);
    page.warnings = warnings;
    Ok(page)
}

/// Decodes a capture to text without extracting (for the chrome statistics of a batch).
pub fn decode_text(
    file: &str,
    bytes: &[u8],
    charset: Option<&str>,
) -> Result<String, CaptureError> {
    decode::decode(file, bytes, charset).map(|d| d.text)
}

/// The date at the start of a text, whatever follows it (a time, a source).
pub fn date_prefix(text: &str) -> Option<IsoDate> {
    let text = anglicized(text);
    let words: Vec<&str> = text.split_whitespace().collect();
    (1..=words.len().min(4))
        .rev()
        .find_map(|n| parse_date(&words[..n].join(" ")))
}

/// A text's letters and digits, lower case: what two renderings of one text (a page's HTML, the
/// body made of it) have in common.
pub(crate) fn letters(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Month names in French, Spanish, Italian, Portuguese, German and Dutch, with the English
/// name chrono reads.
const MONTH_NAMES: [(&str, &str); 58] = [
    ("janvier", "January"),
    ("février", "February"),
    ("fevrier", "February"),
    ("mars", "March"),
    ("avril", "April"),
    ("mai", "May"),
    ("juin", "June"),
    ("juillet", "July"),
    ("août", "August"),
    ("aout", "August"),
    ("septembre", "September"),
    ("octobre", "October"),
    ("novembre", "November"),
    ("décembre", "December"),
    ("decembre", "December"),
    ("enero", "January"),
    ("febrero", "February"),
    ("marzo", "March"),
    ("abril", "April"),
    ("mayo", "May"),
    ("junio", "June"),
    ("julio", "July"),
    ("agosto", "August"),
    ("septiembre", "September"),
    ("setiembre", "September"),
    ("octubre", "October"),
    ("noviembre", "November"),
    ("diciembre", "December"),
    ("gennaio", "January"),
    ("febbraio", "February"),
    ("aprile", "April"),
    ("maggio", "May"),
    ("giugno", "June"),
    ("luglio", "July"),
    ("settembre", "September"),
    ("ottobre", "October"),
    ("dicembre", "December"),
    ("janeiro", "January"),
    ("fevereiro", "February"),
    ("março", "March"),
    ("maio", "May"),
    ("junho", "June"),
    ("julho", "July"),
    ("setembro", "September"),
    ("outubro", "October"),
    ("dezembro", "December"),
    ("januar", "January"),
    ("februar", "February"),
    ("märz", "March"),
    ("juni", "June"),
    ("juli", "July"),
    ("oktober", "October"),
    ("dezember", "December"),
    ("januari", "January"),
    ("februari", "February"),
    ("maart", "March"),
    ("mei", "May"),
    ("augustus", "August"),
];

/// A date written in another language as chrono reads English: its month named in English,
/// without the words around the day (`le`, `el`, `am`, `de`) and a German day's full stop
/// (`le 3 mars 2025` and `30 de noviembre de 2026` give `3 March 2025`, `30 November 2026`;
/// `4. März 2025` gives `4 March 2025`).
fn anglicized(text: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let lower = word.to_lowercase();
        let bare = lower.trim_end_matches([',', '.']);
        let lead = matches!(
            bare,
            "on" | "le" | "el" | "am" | "il" | "o" | "em" | "op" | "den"
        );
        if words.is_empty() && (lead || is_weekday(bare)) {
            continue;
        }
        match MONTH_NAMES.iter().find(|(name, _)| *name == bare) {
            Some((_, english)) => words.push(english.to_string()),
            None if matches!(bare, "de" | "del") => {}
            None if bare.chars().all(|c| c.is_ascii_digit()) && lower.ends_with('.') => {
                words.push(bare.to_string())
            }
            None => words.push(word.to_string()),
        }
    }
    words.join(" ")
}

/// A day of the week in English (in full or cut to three letters or more), French, Spanish,
/// Italian, Portuguese, German or Dutch, in lower case: what a date line may start with
/// (`Mon 3 Mar 2025`, `lundi 3 mars 2025`, `Montag, 3. März 2025`).
pub(crate) fn is_weekday(word: &str) -> bool {
    const ENGLISH: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    const OTHERS: [&str; 40] = [
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
        "lunedì",
        "martedì",
        "mercoledì",
        "giovedì",
        "venerdì",
        "sabato",
        "domenica",
        "segunda-feira",
        "terça-feira",
        "quarta-feira",
        "quinta-feira",
        "sexta-feira",
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonntag",
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
    ];
    let word = word.trim_end_matches([',', '.']);
    (word.len() >= 3 && ENGLISH.iter().any(|d| d.starts_with(word))) || OTHERS.contains(&word)
}

/// Parses a date as captures write it: `June 9, 2010`, `9 June 2010`, `2010-06-09`, `2010/06/09`,
/// `2010年6月9日`, `9.6.2010`, or an RFC 3339 date-time (its date is taken).
pub fn parse_date(text: &str) -> Option<IsoDate> {
    let text = text.trim().trim_end_matches(['.', ',', ';']);
    let formats = [
        "%Y年%m月%d日",
        "%Y.%m.%d",
        "%d.%m.%Y",
        "%B %d, %Y",
        "%b %d, %Y",
        "%d %B %Y",
        "%d %b %Y",
        "%Y-%m-%d",
        "%Y/%m/%d",
        "%B %d %Y",
    ];
    let english = anglicized(text);
    let date = formats
        .iter()
        .find_map(|f| chrono::NaiveDate::parse_from_str(text, f).ok())
        .or_else(|| {
            formats
                .iter()
                .find_map(|f| chrono::NaiveDate::parse_from_str(&english, f).ok())
        })
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
            ("2010年6月9日", "2010-06-09"),
            ("2010年06月09日", "2010-06-09"),
            ("9.6.2010", "2010-06-09"),
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

    #[test]
    fn dates_in_french_spanish_italian_portuguese_german_and_dutch_are_read_after_a_weekday_too() {
        for (text, iso) in [
            ("3 mars 2025", "2025-03-03"),
            ("le 3 mars 2025 à 07h15", "2025-03-03"),
            ("30 de noviembre de 2026", "2026-11-30"),
            ("3 marzo 2025", "2025-03-03"),
            ("3 de março de 2025", "2025-03-03"),
            ("am 4. März 2025", "2025-03-04"),
            ("12 augustus 2024", "2024-08-12"),
            ("lundi 3 mars 2025", "2025-03-03"),
            ("on Mon 3 Mar 2025 07.15 GMT", "2025-03-03"),
            ("Dienstag, 4. März 2025", "2025-03-04"),
            ("3 mars 2025, mis à jour le 4 mars", "2025-03-03"),
        ] {
            assert_eq!(
                date_prefix(text).map(|d| d.to_string()).as_deref(),
                Some(iso),
                "{text}"
            );
        }
        assert_eq!(date_prefix("le 31 février 2025"), None);
        assert_eq!(date_prefix("de la mer"), None);
    }
}
