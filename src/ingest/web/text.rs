//! Text renderings of web pages (what a crawler saves as `.txt`): site chrome around one
//! article. The article is found by evidence: a date line (`UPDATED: June 9, 2010`), the title
//! next to it, paragraphs (long lines of prose), short lines between them as headings, a page
//! bar (`Previous 3 4 5 Next`) closing the article, and lines that other captures of the same
//! site repeat, which are chrome.

use super::html::split_byline;
use super::markdown::fenced;
use super::{date_prefix, parse_date, Block, CaptureError, Metadata, Page, PageBarCheck};
use std::collections::BTreeSet;

/// Labels that say a date is the last update rather than the first publication.
const UPDATE_LABELS: [&str; 7] = [
    "updated",
    "last updated",
    "modified",
    "last modified",
    "更新",
    "更新时间",
    "修改时间",
];

pub fn extract(file: &str, text: &str, others: &[String]) -> Result<Page, CaptureError> {
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end()).collect();
    let repeated: BTreeSet<&str> = others
        .iter()
        .flat_map(|other| other.lines().map(str::trim))
        .filter(|l| !l.is_empty())
        .collect();
    let is_chrome = |line: &str| repeated.contains(line.trim());
    let mut page = Page {
        source: file.to_string(),
        ..Default::default()
    };

    // A plain-text document wrapped at a fixed width is kept as it is laid out.
    if is_wrapped(&lines) {
        return Ok(preformatted(file, &lines));
    }
    // The date line, and the title beside it.
    let dated = lines
        .iter()
        .enumerate()
        .find_map(|(i, line)| date_line(line).map(|d| (i, d)));
    let first_paragraph =
        |from: usize| (from..lines.len()).find(|&i| is_paragraph(lines[i]) && !is_chrome(lines[i]));
    let (title_at, body_from) = match dated {
        Some((at, _)) => title_by_date(file, &lines, at, &mut page)?,
        None => {
            let Some(p) = first_paragraph(0) else {
                if prose_words(&lines) >= 50 {
                    return Ok(preformatted(file, &lines));
                }
                return Err(no_article(
                    file,
                    "no date line and no paragraph of text; only short lines such as navigation",
                ));
            };
            match (0..p)
                .rev()
                .find(|&i| !lines[i].trim().is_empty() && !is_chrome(lines[i]))
            {
                Some(i) => (i, i + 1),
                None => return Err(no_article(file, "paragraphs but no title before them")),
            }
        }
    };
    page.meta.title = lines[title_at].trim().to_string();

    // The body: from the title to the page bar, or to the chrome after the last paragraph.
    let Some(first) = first_paragraph(body_from) else {
        return Err(no_article(
            file,
            "a title but no paragraph of text after it",
        ));
    };
    let mut blocks = Vec::new();
    let mut previous_blank = title_at + 1 < lines.len() && lines[title_at + 1].trim().is_empty();
    let mut short_run = 0;
    let mut i = body_from;
    while i < lines.len() {
        let line = lines[i].trim();
        if line.is_empty() {
            previous_blank = true;
            i += 1;
            continue;
        }
        if let Some(bar) = page_bar(line) {
            match bar.check() {
                Ok(()) => {
                    page.page_bar = bar.listed;
                    page.page = page.page.or(bar.current);
                }
                Err(why) => page.warnings.push(format!(
                    "a page bar listing {:?} was left out: {why}",
                    bar.listed
                )),
            }
            break;
        }
        if let Some((current, count)) = page_of(line) {
            page.page = Some(current);
            page.page_count = Some(count);
            i += 1;
            continue;
        }
        let is_after_title = i == body_from && !previous_blank;
        if let Some(authors) = byline(line).filter(|_| i < first) {
            page.meta.authors = authors;
        } else if i < first && is_after_title && !is_paragraph(line) {
            page.meta.deck = Some(line.to_string());
        } else if is_chrome(line) {
            // Repeated by other pages of the site.
        } else if is_paragraph(line) {
            short_run = 0;
            blocks.push(Block::Paragraph {
                text: line.to_string(),
            });
        } else {
            short_run += 1;
            // A run of short lines after the text is the site's chrome, not the article.
            if i > first && short_run > 3 {
                break;
            }
            if i > first && !has_text_after(&lines, i, &is_chrome) {
                break;
            } else {
                blocks.push(Block::Heading {
                    level: 2,
                    text: line.to_string(),
                });
            }
        }
        previous_blank = false;
        i += 1;
    }
    // A heading with nothing after it closes no section: it is chrome.
    while matches!(blocks.last(), Some(Block::Heading { .. })) {
        blocks.pop();
    }
    page.blocks = blocks;
    page.meta.site_name = lines.iter().rev().find_map(|l| copyright_holder(l));
    if let Some((current, count)) = lines.iter().find_map(|l| page_of(l.trim())) {
        page.page = page.page.or(Some(current));
        page.page_count = page.page_count.or(Some(count));
    }
    Ok(page)
}

/// The title beside the date line at `at` (after it, or else before it with perhaps a byline
/// between), the dates of the date lines standing together there, and the line the body
/// starts at.
fn title_by_date(
    file: &str,
    lines: &[&str],
    at: usize,
    page: &mut Page,
) -> Result<(usize, usize), CaptureError> {
    // Date lines standing together (`Updated: …`, `Published: …`) all count.
    let together = lines[at..]
        .iter()
        .take_while(|l| date_line(l).is_some())
        .count();
    for line in &lines[at..at + together] {
        match date_line(line) {
            Some((d, true)) => page.meta.updated = page.meta.updated.or(Some(d)),
            Some((d, false)) => page.meta.published = page.meta.published.or(Some(d)),
            None => {}
        }
    }
    let at = at + together - 1;
    let after = next_text_line(lines, at + 1);
    if let Some(i) = after.filter(|&i| !is_paragraph(lines[i]) && byline(lines[i]).is_none()) {
        return Ok((i, i + 1));
    }
    let before = (0..at).rev().find(|&i| {
        let line = lines[i].trim();
        !line.is_empty() && byline(line).is_none()
    });
    match before {
        Some(i) if !is_paragraph(lines[i]) => {
            if let Some(authors) = lines[i + 1..at].iter().find_map(|l| byline(l)) {
                page.meta.authors = authors;
            }
            Ok((i, at + 1))
        }
        _ => Err(no_article(file, "a date line but no title next to it")),
    }
}

fn no_article(file: &str, found: &str) -> CaptureError {
    CaptureError::new(file, format!("no recognisable article: found {found}"))
}

fn next_text_line(lines: &[&str], from: usize) -> Option<usize> {
    (from..lines.len()).find(|&i| !lines[i].trim().is_empty())
}

/// True when a paragraph follows line `at` before a run of chrome ends the article.
fn has_text_after(lines: &[&str], at: usize, is_chrome: &dyn Fn(&str) -> bool) -> bool {
    let mut short = 0;
    for line in lines
        .iter()
        .skip(at + 1)
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
    {
        if page_bar(line).is_some() {
            return false;
        }
        if is_paragraph(line) && !is_chrome(line) {
            return true;
        }
        short += 1;
        if short > 2 {
            return false;
        }
    }
    false
}

/// A line of prose: long, with words, and not a row of links.
fn is_paragraph(line: &str) -> bool {
    let line = line.trim();
    let words = line.split_whitespace().count();
    let separators = line.matches(" | ").count();
    let letters = line.chars().filter(|c| c.is_alphabetic()).count();
    let cjk = line.chars().filter(|c| is_cjk(*c)).count();
    let prose = (words >= 12 && line.chars().count() >= 60) || cjk >= 30;
    prose && separators < 2 && letters * 2 > line.chars().count()
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xac00..=0xd7af)
}

/// `UPDATED: June 9, 2010`, `Published: 2021-03-12`, or a line that is only a date. Returns the
/// date and whether it is an update date.
fn date_line(line: &str) -> Option<(crate::model::IsoDate, bool)> {
    let line = line.trim();
    if line.is_empty() || line.chars().count() > 60 {
        return None;
    }
    if let Some((label, rest)) = line.split_once([':', '：']) {
        let label = label.trim().to_lowercase();
        if !label.is_empty()
            && label.chars().count() <= 20
            && label.chars().all(|c| c.is_alphabetic() || c == ' ')
        {
            let label = label.strip_suffix(" on").unwrap_or(&label).to_string();
            return date_prefix(rest).map(|d| (d, UPDATE_LABELS.contains(&label.as_str())));
        }
    }
    parse_date(line).map(|d| (d, false))
}

struct PageBar {
    listed: Vec<u32>,
    current: Option<u32>,
    /// Navigation words (`Next`, `«`) beside the numbers.
    navigation: bool,
}

impl PageBar {
    fn check(&self) -> Result<(), String> {
        PageBarCheck {
            listed: &self.listed,
            current: self.current,
            evidence: self.navigation || self.current.is_some(),
            gap: false,
        }
        .verdict()
    }
}

/// `Previous 3 4 5 6 Next`, `« 1 [2] 3 »`: page numbers and navigation words only. A number
/// in brackets, parentheses or asterisks is the current page.
fn page_bar(line: &str) -> Option<PageBar> {
    const WORDS: [&str; 12] = [
        "previous", "prev", "next", "first", "last", "«", "»", "‹", "›", "<<", ">>", "...",
    ];
    let mut listed = Vec::new();
    let mut current = None;
    let mut navigation = false;
    for token in line.split_whitespace() {
        if WORDS.contains(&token.to_ascii_lowercase().as_str()) {
            navigation = true;
            continue;
        }
        let marked = token.trim_matches(|c| matches!(c, '[' | ']' | '(' | ')' | '*'));
        let number: u32 = marked.parse().ok().filter(|n| *n < 10_000)?;
        if marked.len() != token.len() {
            current = Some(number);
        }
        listed.push(number);
    }
    (listed.len() >= 2).then_some(PageBar {
        listed,
        current,
        navigation,
    })
}

/// `Page 2 of 3`.
fn page_of(line: &str) -> Option<(u32, u32)> {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        [page, n, of, m] if page.eq_ignore_ascii_case("page") && of.eq_ignore_ascii_case("of") => {
            let (n, m) = (n.parse().ok()?, m.parse().ok()?);
            (n >= 1 && n <= m).then_some((n, m))
        }
        _ => None,
    }
}

/// The holder a copyright line names: `Copyright Beijing Review All right reserved`,
/// `© 2021 The Harbour Weekly. All rights reserved.`
fn copyright_holder(line: &str) -> Option<String> {
    let line = line.trim();
    let rest = ["copyright", "©", "(c)", "版权所有"]
        .iter()
        .find_map(|mark| {
            line.get(..mark.len())
                .filter(|p| p.eq_ignore_ascii_case(mark))
                .map(|_| &line[mark.len()..])
        })?;
    if !rest.starts_with([' ', '©', '\u{3000}']) {
        return None;
    }
    let mut holder = rest.trim().trim_start_matches('©').trim();
    // Years first, then the holder, then the reservation.
    holder = holder
        .trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '-' | '–' | ',' | ' '));
    let lower = holder.to_ascii_lowercase();
    let end = ["all right", "all rights", ". ", "|"]
        .iter()
        .filter_map(|m| lower.find(m))
        .min()
        .unwrap_or(holder.len());
    let holder = holder[..end].trim().trim_end_matches(['.', ',']).trim();
    (!holder.is_empty() && holder.len() <= 80).then(|| holder.to_string())
}

/// The authors of a byline line (`By Ana Lopes and Tom Reilly`).
fn byline(line: &str) -> Option<Vec<String>> {
    let line = line.trim();
    let named = line.len() > 3 && line.is_char_boundary(3) && line[..3].eq_ignore_ascii_case("by ");
    (named && !is_paragraph(line)).then(|| split_byline(&line[3..]))
}

/// Words on lines of prose (six words or more, not a row of links): what tells a
/// plain-text document from a page of navigation.
fn prose_words(lines: &[&str]) -> usize {
    lines
        .iter()
        .map(|l| l.split_whitespace().count())
        .zip(lines)
        .filter(|(words, line)| *words >= 6 && line.matches(" | ").count() < 2)
        .map(|(words, _)| words)
        .sum()
}

/// True for a plain-text document whose prose is wrapped at a fixed width (an RFC, a text
/// file), rather than a page rendering with a paragraph a line: most lines of prose run on
/// from a line of prose above them.
fn is_wrapped(lines: &[&str]) -> bool {
    let prose = |l: &str| l.split_whitespace().count() >= 6;
    let total = lines.iter().filter(|l| prose(l)).count();
    let running_on = lines
        .windows(2)
        .filter(|w| prose(w[0]) && prose(w[1]))
        .count();
    total >= 5 && running_on * 2 >= total && prose_words(lines) >= 50
}

/// A plain-text document with no page around it (an RFC, a notice): its first centred line
/// (or else its first line) is the title, and the whole text is kept as it is laid out.
fn preformatted(file: &str, lines: &[&str]) -> Page {
    let text_lines: Vec<&&str> = lines.iter().filter(|l| !l.trim().is_empty()).collect();
    let centred = text_lines.iter().find(|l| {
        let indent = l.len() - l.trim_start().len();
        indent >= 10 && l.trim().chars().count() <= 100
    });
    let title = centred
        .or(text_lines.first())
        .map(|l| l.trim())
        .unwrap_or_default();
    let text = lines.join("\n");
    Page {
        source: file.to_string(),
        meta: Metadata {
            title: title.split_whitespace().collect::<Vec<_>>().join(" "),
            ..Default::default()
        },
        blocks: vec![Block::Markdown {
            text: fenced(text.trim_matches('\n'), ""),
        }],
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_bars() {
        let bar = page_bar("   Previous   3   4   5   6   7   8   9   Next  ").unwrap();
        assert_eq!((bar.listed, bar.current), (vec![3, 4, 5, 6, 7, 8, 9], None));
        let bar = page_bar("« 1 [2] 3 »").unwrap();
        assert_eq!((bar.listed, bar.current), (vec![1, 2, 3], Some(2)));
        assert!(page_bar("Top 10 stories").is_none());
        assert_eq!(page_of("Page 2 of 3"), Some((2, 3)));
        assert_eq!(page_of("Page 4 of 3"), None);
    }

    #[test]
    fn date_lines() {
        let (date, update) = date_line("UPDATED: June 9, 2010").unwrap();
        assert_eq!((date.to_string(), update), ("2010-06-09".to_string(), true));
        let (date, update) = date_line("Posted on: 12 March 2021").unwrap();
        assert_eq!(
            (date.to_string(), update),
            ("2021-03-12".to_string(), false)
        );
        assert!(date_line("Note: see below").is_none());
    }

    #[test]
    fn copyright_lines() {
        assert_eq!(
            copyright_holder("Copyright Beijing Review All right reserved").as_deref(),
            Some("Beijing Review")
        );
        assert_eq!(
            copyright_holder("© 2021 The Harbour Weekly. All rights reserved.").as_deref(),
            Some("The Harbour Weekly")
        );
        assert_eq!(copyright_holder("Copyrighted material"), None);
    }
}

#[cfg(test)]
mod seed_tests {
    use super::*;
    use crate::ingest::web::markdown::to_markdown;

    const SEED: &str = include_str!("../../../examples/issue/sources/000_11fc1475ed7ff95f.txt");

    #[test]
    fn the_seed_page() {
        let page = extract("000_11fc1475ed7ff95f.txt", SEED, &[]).unwrap();
        assert_eq!(page.meta.title, "Full Text: The Internet in China");
        assert_eq!(
            page.meta.updated.map(|d| d.to_string()).as_deref(),
            Some("2010-06-09")
        );
        assert_eq!(page.page_bar, [3, 4, 5, 6, 7, 8, 9]);
        assert_eq!(
            (page.page, page.page_count, page.meta.deck.as_deref()),
            (None, None, None)
        );
        assert!(page.meta.authors.is_empty());
        assert_eq!(page.meta.site_name.as_deref(), Some("Beijing Review"));
        let paragraphs: Vec<&str> = SEED.lines().filter(|l| l.len() > 300).collect();
        assert_eq!(paragraphs.len(), 5);
        let mut expected = vec![Block::Heading {
            level: 2,
            text: "VI. Active International Exchanges and Cooperation".into(),
        }];
        expected.extend(paragraphs.iter().map(|p| Block::Paragraph {
            text: p.to_string(),
        }));
        assert_eq!(page.blocks, expected);
        println!("{}", to_markdown(&page.blocks));
    }
}
