//! Text renderings of web pages (what a crawler saves as `.txt`): site chrome around one
//! article. The article is found by evidence: a date line (`UPDATED: June 9, 2010`), the title
//! next to it, paragraphs (long lines of prose), short lines between them as headings, a page
//! bar (`Previous 3 4 5 Next`) closing the article, and lines that other captures of the same
//! site repeat, which are chrome.

use super::html::{
    at_date_label, is_role, is_signature, is_update_label, split_byline, word_label, SHARE_WORDS,
};
use super::markdown::{escape, fenced};
use super::{
    date_prefix, is_weekday, parse_date, Block, CaptureError, Metadata, Page, PageBarCheck,
};
use std::collections::BTreeSet;

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
            title_before(&lines, p, &is_chrome, &mut page)
                .ok_or_else(|| no_article(file, "paragraphs but no title before them"))?
        }
    };
    page.meta.title = lines[title_at].trim().to_string();
    if page.meta.deck.is_none() {
        page.meta.deck = deck_under_page_title(&lines, title_at, &is_chrome);
    }

    // The body: from the title to the page bar, or to the chrome after the last paragraph.
    let Some(first) = first_paragraph(body_from) else {
        return Err(no_article(
            file,
            "a title but no paragraph of text after it",
        ));
    };
    let end = text_end(&lines, first, &is_chrome, &mut page);
    let mut blocks = Vec::new();
    let mut previous_blank = title_at + 1 < lines.len() && lines[title_at + 1].trim().is_empty();
    // Short lines standing together (a list, a stanza, a table), written out at a blank
    // line or a paragraph.
    let mut group: Vec<&str> = Vec::new();
    let mut i = body_from;
    // The text, and the page bar that ends it.
    while i < end {
        let line = lines[i].trim();
        // A bulleted item is one of its list's short lines, however long it runs.
        let is_paragraph = |line: &str| is_paragraph(line) && !is_bullet(line);
        if line.is_empty() || is_paragraph(line) {
            flush(&mut blocks, &group);
            group.clear();
        }
        if line.is_empty() {
            previous_blank = true;
            i += 1;
            continue;
        }
        if let Some(bar) = page_bar(line) {
            read_page_bar(bar, &mut page);
            break;
        }
        if let Some((current, count)) = page_of(line) {
            page.pages.page = Some(current);
            page.pages.count = Some(count);
            i += 1;
            continue;
        }
        let is_after_title = i == body_from && !previous_blank;
        if let Some(authors) = byline(line).filter(|_| i < first) {
            page.meta.authors = authors;
        } else if i < first && is_toolbar(line) {
            // The page's tools over the text.
        } else if i < first && is_after_title && !is_paragraph(line) {
            page.meta.deck = Some(line.to_string());
        } else if i < first && !previous_blank && is_label_under_header(&lines, i, body_from) {
            page.warnings.push(format!(
                "the label `{line}` between the article's header and its text left out as the page's"
            ));
        } else if is_chrome(line) && !(i > first && within_text(&lines, i, &is_chrome)) {
            // Repeated by other pages of the site.
        } else if is_paragraph(line) {
            blocks.push(Block::Paragraph {
                text: line.to_string(),
            });
        } else {
            group.push(line);
        }
        previous_blank = false;
        i += 1;
    }
    flush(&mut blocks, &group);
    // The page bar right after the text's last lines (a credit, a note).
    if i == end {
        let after = (end..lines.len()).find(|&j| {
            let line = lines[j].trim();
            !line.is_empty() && (page_bar(line).is_some() || !is_chrome(line))
        });
        if let Some(bar) = after.and_then(|j| page_bar(lines[j].trim())) {
            read_page_bar(bar, &mut page);
        }
    }
    let mut blocks = glossaries(numbered_paragraphs(blocks));
    signed_off(&mut blocks);
    // A heading with nothing after it closes no section: it is chrome.
    while matches!(blocks.last(), Some(Block::Heading { .. })) {
        blocks.pop();
    }
    page.blocks = blocks;
    settle_page(&lines, title_at, &mut page);
    Ok(page)
}

/// What the whole capture says of the page once its text is read: the publication (its
/// copyright line, or the masthead over the title), the authors that are the paper itself,
/// and which page of the article it is.
fn settle_page(lines: &[&str], title_at: usize, page: &mut Page) {
    page.meta.site_name = lines
        .iter()
        .rev()
        .find_map(|l| copyright_holder(l))
        .map(|holder| masthead(&lines[..title_at], &holder).unwrap_or(holder));
    // `By Global Times`: the paper, not a writer.
    let paper = |name: &String| {
        let name = name.to_lowercase();
        let masthead = lines
            .iter()
            .take(title_at)
            .any(|l| l.trim().to_lowercase() == name);
        masthead
            || page
                .meta
                .site_name
                .as_ref()
                .is_some_and(|s| s.to_lowercase() == name)
    };
    page.meta.authors.retain(|name| !paper(name));
    if let Some((current, count)) = lines.iter().find_map(|l| page_of(l.trim())) {
        page.pages.page = page.pages.page.or(Some(current));
        page.pages.count = page.pages.count.or(Some(count));
    }
    if page.pages.page.is_none() && !page.pages.listed.is_empty() {
        page.warnings.push(format!(
            "the page bar lists pages {:?} but marks none as this capture's (a text capture shows no links), {}",
            page.pages.listed,
            super::PAGE_UNKNOWN
        ));
    }
}

/// Whether the line at `i`, which other captures of the batch repeat, stands inside the text:
/// between two paragraphs of the capture's own (two articles of one site may share a heading,
/// `Background`, or a sentence; the site's chrome stands outside the text).
fn within_text(lines: &[&str], i: usize, is_chrome: &dyn Fn(&str) -> bool) -> bool {
    // The nearest lines of the capture's own, past other repeated ones.
    let own = |j: &usize| !lines[*j].trim().is_empty() && !is_chrome(lines[*j]);
    let paragraph = |j: &usize| is_paragraph(lines[*j]);
    let before = (0..i).rev().find(own).filter(paragraph);
    let after = (i + 1..lines.len()).find(own).filter(paragraph);
    before.is_some() && after.is_some() && !is_furniture(lines[i])
}

/// Words of the site's furniture that a page may set between paragraphs (an advertisement's
/// label, a pitch for a newsletter), which two captures of a site repeat there.
fn is_furniture(line: &str) -> bool {
    const WORDS: [&str; 8] = [
        "advertisement",
        "advert",
        "sponsored",
        "newsletter",
        "sign up",
        "subscribe",
        "read more",
        "related",
    ];
    let lower = line.to_lowercase();
    WORDS.iter().any(|w| lower.contains(w))
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
        page.meta.printed = page.meta.printed.take().or_else(|| printed_issue(line));
        match date_line(line) {
            Some((d, true)) => page.meta.updated = page.meta.updated.or(Some(d)),
            Some((d, false)) => page.meta.published = page.meta.published.or(Some(d)),
            None => {}
        }
    }
    let first_date = at;
    let at = at + together - 1;
    let after = (at + 1..lines.len())
        .find(|&i| !lines[i].trim().is_empty() && !is_head_furniture(lines, i));
    if let Some(i) = after.filter(|&i| !is_paragraph(lines[i]) && byline(lines[i]).is_none()) {
        let i = label_over_title(lines, i, page);
        return Ok((i, head_under_title(lines, i, page)));
    }
    let before = (0..first_date).rev().find(|&i| {
        let line = lines[i].trim();
        !line.is_empty() && byline(line).is_none() && !is_head_furniture(lines, i)
    });
    match before.map(|i| label_over_date(lines, i, page)) {
        Some(i) if !is_paragraph(lines[i]) => {
            if let Some(authors) = lines[i + 1..=at].iter().find_map(|l| byline(l)) {
                page.meta.authors = authors;
            }
            // A title over its deck: the line right above a longer line of words, or, with a
            // byline between the deck and the date, the line above any standfirst.
            let bylined = lines[i + 1..first_date].iter().any(|l| byline(l).is_some());
            if let Some(title) = title_over_deck(lines, i, bylined) {
                page.meta.deck = Some(lines[i].trim().to_string());
                return Ok((title, at + 1));
            }
            Ok((i, at + 1))
        }
        _ => Err(no_article(file, "a date line but no title next to it")),
    }
}

/// The printed issue a magazine's date line names after the date (`UPDATED: June 3, 2024
/// NO. 23 JUNE 6, 2024`): its number and its cover date.
fn printed_issue(line: &str) -> Option<super::PrintedIssue> {
    let upper = line.to_uppercase();
    let at = upper.find(" NO. ").or_else(|| upper.find(" NO."))?;
    let rest = line[at..].trim_start().get(3..)?.trim_start();
    let (number, cover) = rest.split_once(' ').unwrap_or((rest, ""));
    let numbered = !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit() || c == '-')
        && number.starts_with(|c: char| c.is_ascii_digit());
    numbered.then(|| super::PrintedIssue {
        number: number.to_string(),
        date: timed_date(cover),
    })
}

/// What stands between a title and its text and is the page's, not the article's: a row of
/// tools (`Share - WeChat`, `Adjust font size:`), a field of the page (`Source: Xinhua`,
/// `Editor: Liu Fang`, `责任编辑：王明`), or a staff title under a byline (`China Daily staff
/// writer`).
fn is_head_furniture(lines: &[&str], i: usize) -> bool {
    let line = lines[i].trim();
    let under_byline = i > 0 && byline(lines[i - 1]).is_some();
    let staff = under_byline && line.split_whitespace().count() <= 6 && is_role(line);
    is_toolbar(line) || is_page_field(line) || staff
}

/// A short line that is a field of the page (`Source: Xinhua`, `Editor: Liu Fang`): a
/// sign-off's label (see [`is_signature`]) and a name, not a title's words (`Source: a spring
/// that …`).
fn is_page_field(line: &str) -> bool {
    let value = line.split_once([':', '：']).map_or("", |(_, v)| v.trim());
    let named = value.starts_with(|c: char| c.is_uppercase() || is_cjk(c))
        && value.split_whitespace().count() <= 6;
    is_signature(line) && named
}

/// The title under a label the date line has over it (`UPDATED: May 29, 2024` / `Web
/// Exclusive` / the title): the line under a label of one or two words when that line reads
/// as a title, the label left out with a warning; else `at`.
fn label_over_title(lines: &[&str], at: usize, page: &mut Page) -> usize {
    let label = lines[at].trim();
    let Some(under) = next_text_line(lines, at + 1) else {
        return at;
    };
    let title = lines[under].trim();
    let titled = title.split_whitespace().count() >= 3
        && !is_paragraph(title)
        && short_kind(title) == Short::Other
        && byline(title).is_none()
        && date_line(title).is_none();
    // A short title over its deck reads the same as a label over a title: the label is one
    // pages use, or a title and a deck follow it.
    let decked = next_text_line(lines, under + 1).is_some_and(|d| {
        let deck = lines[d].trim();
        d == under + 1 && !is_paragraph(deck) && byline(deck).is_none() && date_line(deck).is_none()
    });
    let known = PAGE_LABELS.contains(&label.to_lowercase().as_str());
    if !titled || short_kind(label) != Short::Menu || label.contains(" | ") || under != at + 1 {
        return at;
    }
    if !known && !decked {
        return at;
    }
    page.warnings.push(format!(
        "the label `{label}` between the article's date and its title left out as the page's"
    ));
    under
}

/// Labels pages set over an article's title (`Web Exclusive`, `Cover Story`).
const PAGE_LABELS: [&str; 14] = [
    "web exclusive",
    "exclusive",
    "expert's view",
    "cover story",
    "special report",
    "analysis",
    "opinion",
    "editorial",
    "interview",
    "commentary",
    "feature",
    "features",
    "viewpoint",
    "breaking news",
];

/// The title's line for the line `at` found over the date: the line right above it when `at`
/// is a label of one or two words (`Web Exclusive`, `Analysis`) under a line that reads as a
/// title, the label left out with a warning; else `at`.
fn label_over_date(lines: &[&str], at: usize, page: &mut Page) -> usize {
    let label = lines[at].trim();
    let Some(above) = at.checked_sub(1).filter(|&a| !lines[a].trim().is_empty()) else {
        return at;
    };
    let title = lines[above].trim();
    let titled = title.split_whitespace().count() >= 3
        && !is_paragraph(title)
        && short_kind(title) == Short::Other
        && byline(title).is_none()
        && date_line(title).is_none()
        && !is_toolbar(title);
    if !titled || short_kind(label) != Short::Menu || label.contains(" | ") {
        return at;
    }
    page.warnings.push(format!(
        "the label `{label}` between the article's title and its date left out as the page's"
    ));
    above
}

/// The line the body starts at under the title at `title`: past a standfirst as long as a
/// paragraph with the byline under it (`Zhang Weiguo, a scholar …` / `By YU LINTAO`), taken as
/// the deck and the authors (a shorter deck and a byline are read with the text's head).
fn head_under_title(lines: &[&str], title: usize, page: &mut Page) -> usize {
    let Some(next) = next_text_line(lines, title + 1) else {
        return title + 1;
    };
    let deck = lines[next].trim();
    let under = next_text_line(lines, next + 1);
    match under.and_then(|u| Some((u, byline(lines[u])?))) {
        Some((u, authors)) if is_paragraph(deck) && deck.split_whitespace().count() <= 40 => {
            page.meta.deck = Some(deck.to_string());
            page.meta.authors = authors;
            u + 1
        }
        _ => title + 1,
    }
}

/// With no date line, the title: the line before the text (at `text`) that is no byline,
/// credit, row of tools or date, or the line over it when that line is its deck. Returns the
/// title's line and the line the body starts at.
fn title_before(
    lines: &[&str],
    text: usize,
    is_chrome: &dyn Fn(&str) -> bool,
    page: &mut Page,
) -> Option<(usize, usize)> {
    let at = (0..text).rev().find(|&i| {
        let line = lines[i].trim();
        !line.is_empty()
            && !is_chrome(line)
            && byline(line).is_none()
            && !is_credit(line)
            && !is_toolbar(line)
            && date_line(line).is_none()
    })?;
    match title_over_deck(lines, at, false) {
        Some(title) => {
            page.meta.deck = Some(lines[at].trim().to_string());
            Some((title, at + 1))
        }
        None => Some((at, at + 1)),
    }
}

/// The deck a page's own head gives above the site's chrome: its first line is the article's
/// title, the one under it a line of words (`Grain Trains Return…` / `Short-line railways are
/// reviving…`). A first line that is another story's title (a promotion) gives none.
fn deck_under_page_title(
    lines: &[&str],
    title_at: usize,
    is_chrome: &dyn Fn(&str) -> bool,
) -> Option<String> {
    let mut head = (0..title_at).filter(|&i| !lines[i].trim().is_empty());
    let (first, second) = (head.next()?, head.next()?);
    let line = lines[second].trim();
    let fits = (5..=40).contains(&line.split_whitespace().count())
        && !is_chrome(line)
        && byline(line).is_none()
        && date_line(line).is_none();
    (lines[first].trim() == lines[title_at].trim() && fits).then(|| line.to_string())
}

/// A trail of the site's sections: parts of three words or fewer between `>`, `»`, `›` or `/`
/// (`Home / Business / Companies`, `OPINION / VIEWPOINT`).
fn is_breadcrumb(line: &str) -> bool {
    let parts: Vec<&str> = (line.split(['>', '»', '›', '/']).map(str::trim))
        .filter(|p| !p.is_empty())
        .collect();
    let marked = [" > ", ">>", " » ", " › ", " / "]
        .iter()
        .any(|m| line.contains(m));
    marked
        && parts.len() >= 2
        && (parts.iter()).all(|p| p.split_whitespace().count() <= 3 && !p.ends_with('.'))
}

/// The title right above line `deck` when `deck` reads as its deck: a line of five words or
/// more under a shorter line (in words or in letters) of three words or more that is no
/// navigation, date or line the page repeats. When a byline stands between the deck and the
/// date (`bylined`), the deck is the standfirst whatever its length, under a title that opens
/// its block of lines.
fn title_over_deck(lines: &[&str], deck: usize, bylined: bool) -> Option<usize> {
    let title = deck.checked_sub(1)?;
    let words = |i: usize| lines[i].split_whitespace().count();
    let line = lines[title].trim();
    // A line the page repeats (`The Latest Headlines` twice) is its furniture.
    let repeated = lines.iter().filter(|l| l.trim() == line).count() > 1;
    let shorter = words(title) < words(deck)
        || lines[title].trim().chars().count() < lines[deck].trim().chars().count();
    let opens_block = title == 0 || lines[title - 1].trim().is_empty();
    // A trail of the site's sections (`China > Society`, `Home / Business / Companies`) is no
    // title.
    let breadcrumb = is_breadcrumb(line);
    let fits = words(deck) >= 5
        && words(title) >= 3
        && !breadcrumb
        && (shorter || (bylined && opens_block))
        && !is_paragraph(line)
        && !repeated
        && short_kind(line) == Short::Other
        && !line.ends_with(':')
        && date_line(line).is_none()
        && byline(line).is_none();
    fits.then_some(title)
}

fn no_article(file: &str, found: &str) -> CaptureError {
    CaptureError::new(file, format!("no recognisable article: found {found}"))
}

fn next_text_line(lines: &[&str], from: usize) -> Option<usize> {
    (from..lines.len()).find(|&i| !lines[i].trim().is_empty())
}

/// Where the article's text ends: at the page bar; or at a run of short lines that no
/// paragraph follows, that reads as navigation (three lines or more of one or two words, or
/// rows of links) or that holds a date (a comment's, a teaser's), keeping from it the sentences that close the text (a note, a credit). When
/// paragraphs stand after a run taken for navigation, a warning says how much was left out.
fn text_end(
    lines: &[&str],
    first: usize,
    is_chrome: &dyn Fn(&str) -> bool,
    page: &mut Page,
) -> usize {
    let next = |from: usize| {
        (from..lines.len()).find(|&j| {
            let line = lines[j].trim();
            !line.is_empty() && !is_chrome(line) && page_of(line).is_none()
        })
    };
    let mut i = first;
    while let Some(at) = next(i) {
        let line = lines[at].trim();
        if page_bar(line).is_some() || is_copyright_notice(line) {
            return at;
        }
        if is_paragraph(line) {
            i = at + 1;
            continue;
        }
        // A run of short lines: what follows it, and how many of its lines are navigation.
        let mut menus = 0;
        // A date among them is a comment's or a teaser's: the text is over.
        let mut dated = false;
        let mut j = Some(at);
        while let Some(k) = j.filter(|&k| !is_paragraph(lines[k]) && page_bar(lines[k]).is_none()) {
            let following = next(k + 1).map(|n| short_kind(lines[n]));
            let heads_text = matches!(following, Some(Short::Sentence | Short::Item));
            if short_kind(lines[k]) == Short::Menu && !heads_text {
                menus += 1;
            }
            dated |= timed_date(lines[k].trim()).is_some() || ends_dated(lines[k]);
            j = next(k + 1);
        }
        let followed = j.is_some_and(|k| is_paragraph(lines[k]) && !is_copyright_notice(lines[k]));
        let listed = || j.is_some_and(|k| is_article_list(lines, at, k, &next));
        if followed && !dated && (menus < 3 || listed()) {
            i = j.unwrap_or(lines.len());
            continue;
        }
        let end = closing_sentences(lines, at, &next);
        let end = closing_lists(lines, end, &next, page);
        if let Some(left) = j.filter(|_| followed) {
            warn_left_out(lines, left, is_chrome, page);
        }
        return end;
    }
    lines.len()
}

/// The end of the sentences (and the label before them: `Notes:`) that close the text from
/// line `at`.
fn closing_sentences(lines: &[&str], at: usize, next: &dyn Fn(usize) -> Option<usize>) -> usize {
    let mut end = at;
    let mut k = Some(at);
    while let Some(line) = k {
        let following = next(line + 1);
        let of_text = |l: usize| {
            copyright_holder(lines[l]).is_none()
                && !is_copyright_notice(lines[l])
                && !is_social_pitch(lines[l])
        };
        let labels_sentence = following
            .is_some_and(|f| short_kind(lines[f]) == Short::Sentence && of_text(f))
            && !is_paragraph(lines[line]);
        // A letter's writer and date, alone right under its text (a teaser's would have
        // others, or the site's labels between).
        let under_text = lines[..line]
            .iter()
            .rev()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| is_paragraph(l));
        let signed = line == at
            && under_text
            && is_dated_signature(lines[line])
            && !following
                .is_some_and(|f| date_line(lines[f]).is_some() || ends_with_date(lines[f]));
        let sentence = short_kind(lines[line]) == Short::Sentence
            || labels_sentence
            || signed
            || is_credit(lines[line])
            || is_signature(lines[line]);
        if sentence && of_text(line) {
            end = line + 1;
            k = following.filter(|&f| !is_paragraph(lines[f]) && page_bar(lines[f]).is_none());
        } else {
            break;
        }
    }
    end
}

/// A letter's sign-off: its writer's name, perhaps a place, and the date (`Margaret Hale,
/// Milton, June 3, 2024`): capitalised names of a few words before the date, no sentence.
fn is_dated_signature(line: &str) -> bool {
    let parts: Vec<&str> = line.trim().split(", ").collect();
    let named = |part: &&str| {
        let words: Vec<&str> = part.split_whitespace().collect();
        (1..=3).contains(&words.len()) && words.iter().all(|w| w.starts_with(char::is_uppercase))
    };
    dated_from(&parts)
        .into_iter()
        .any(|at| at < 4 && parts[..at].iter().all(named))
}

/// A line that ends with a date after a comma (`Bridge reopens, June 3, 2024`).
fn ends_with_date(line: &str) -> bool {
    let parts: Vec<&str> = line.trim().split(", ").collect();
    !dated_from(&parts).is_empty()
}

/// The places among a line's comma-parted parts from which the rest is a date (`Name, Place,
/// June 3, 2024`: 2).
fn dated_from(parts: &[&str]) -> Vec<usize> {
    (1..parts.len())
        .filter(|&at| timed_date(&parts[at..].join(", ")).is_some())
        .collect()
}

/// A line that labels what follows it (`Vocabulary:`, `Residents are advised to:`).
fn is_label(line: &str) -> bool {
    line.trim_end().ends_with([':', '：'])
}

/// A label of a few words over a vocabulary (`Vocabulary:`, `Key words:`, `词汇：`), not a
/// sentence that leads into lines of the text (a poem in two languages).
fn is_vocabulary_label(line: &str) -> bool {
    is_label(line) && line.split_whitespace().count() <= 3 && line.chars().count() <= 30
}

/// Two lines or more, each a term and its translation.
fn is_vocabulary(entries: &[&str]) -> bool {
    entries.len() >= 2 && entries.iter().all(|l| is_glossary_entry(l))
}

/// A vocabulary's entries as a list, each whole.
fn glossary(entries: &[&str]) -> Block {
    Block::List {
        ordered: false,
        items: entries.iter().map(|e| e.trim().to_string()).collect(),
    }
}

/// The blocks of a group of short lines, after `blocks`: a vocabulary's entries under its
/// label are its list.
fn flush(blocks: &mut Vec<Block>, group: &[&str]) {
    let labelled =
        matches!(blocks.last(), Some(Block::Paragraph { text }) if is_vocabulary_label(text));
    if labelled && is_vocabulary(group) {
        blocks.push(glossary(group));
    } else {
        blocks.extend(short_blocks(group));
    }
}

/// The vocabularies whose entries stand a line each between blank lines (each read alone as
/// a heading) under their label, as lists.
fn glossaries(blocks: Vec<Block>) -> Vec<Block> {
    let entry = |b: &Block| matches!(b, Block::Heading { text, .. } if is_glossary_entry(text));
    let mut out: Vec<Block> = Vec::new();
    let mut rest = blocks.into_iter().peekable();
    while let Some(block) = rest.next() {
        let labels = matches!(&block, Block::Paragraph { text } if is_vocabulary_label(text));
        out.push(block);
        if !labels {
            continue;
        }
        let mut entries = Vec::new();
        while let Some(Block::Heading { text, .. }) = rest.next_if(entry) {
            entries.push(text);
        }
        match entries.len() {
            0 => {}
            1 => out.extend(entries.into_iter().map(|text| heading(&text))),
            _ => out.push(glossary(
                &entries.iter().map(String::as_str).collect::<Vec<_>>(),
            )),
        }
    }
    out
}

/// The lines that sign the text off at its end (`Copyedited by …`, a letter's `Name, Place,
/// date`), each read alone as a heading, as the lines they are.
fn signed_off(blocks: &mut [Block]) {
    for block in blocks.iter_mut().rev() {
        let Block::Heading { text, .. } = block else {
            break;
        };
        if !is_signature(text) && !is_dated_signature(text) {
            break;
        }
        *block = Block::Paragraph {
            text: std::mem::take(text),
        };
    }
}

/// A term and its translation on one short line (`involution 内卷`, `躺平 lying flat`): an
/// entry of a bilingual article's vocabulary, which a list of two or more makes.
fn is_glossary_entry(line: &str) -> bool {
    let line = line.trim();
    let latin = line.chars().filter(char::is_ascii_alphabetic).count();
    let cjk = line.chars().filter(|c| is_cjk(*c)).count();
    latin >= 2
        && cjk >= 1
        && line.split_whitespace().count() <= 8
        && !line.contains(" | ")
        && !is_paragraph(line)
        && short_kind(line) != Short::Sentence
}

/// Link labels that make a run of short lines the page's navigation.
const NAVIGATION: [&str; 24] = [
    "home",
    "news",
    "sport",
    "sports",
    "opinion",
    "weather",
    "business",
    "culture",
    "contact",
    "contact us",
    "about",
    "about us",
    "subscribe",
    "share",
    "share this",
    "facebook",
    "twitter",
    "x",
    "email",
    "print",
    "login",
    "log in",
    "search",
    "menu",
];

/// True when the short lines from `at` to the paragraph at `after` are a list of the
/// article's: one- or two-word lines, none a link label of the page's navigation, and the
/// text clearly goes on after them (two paragraphs in a row).
fn is_article_list(
    lines: &[&str],
    at: usize,
    after: usize,
    next: &dyn Fn(usize) -> Option<usize>,
) -> bool {
    let mut k = Some(at);
    while let Some(line) = k.filter(|&l| l < after) {
        let text = lines[line].trim();
        if short_kind(text) != Short::Menu
            || text.contains(" | ")
            || NAVIGATION.contains(&text.to_lowercase().as_str())
        {
            return false;
        }
        k = next(line + 1);
    }
    next(after + 1).is_some_and(|n| is_paragraph(lines[n]))
}

/// The end of the lists (a label over each perhaps: `Key facts`) that close the text from
/// line `end`, with the sentences after them. A list of facts or sentences is the article's;
/// the first list of link labels ends the text, and it and any list after it are named in a
/// warning.
fn closing_lists(
    lines: &[&str],
    mut end: usize,
    next: &dyn Fn(usize) -> Option<usize>,
    page: &mut Page,
) -> usize {
    let mut keeping = true;
    let mut k = next(end);
    while let Some(start) = k.filter(|&l| !is_paragraph(lines[l]) && page_bar(lines[l]).is_none()) {
        let labelled = short_kind(lines[start]) != Short::Item;
        let first = if labelled {
            next(start + 1)
        } else {
            Some(start)
        };
        let mut items = Vec::new();
        let mut at = first;
        while let Some(item) = at.filter(|&l| short_kind(lines[l]) == Short::Item) {
            items.push(item);
            at = next(item + 1);
        }
        let glossary = items.is_empty() && labelled && is_vocabulary_label(lines[start]);
        if glossary {
            items = glossary_from(lines, first, next);
        }
        let Some(&last) = items.last() else {
            if !labelled {
                break;
            }
            k = next(start + 1);
            keeping = false;
            continue;
        };
        let facts = || is_list_of_facts(&items.iter().map(|&l| lines[l]).collect::<Vec<_>>());
        if keeping && (glossary || facts()) {
            end = next(last + 1).map_or(last + 1, |n| closing_sentences(lines, n, next));
        } else {
            keeping = false;
            page.warnings.push(format!(
                "a list of {} item{} below the article's end (link labels, the site's navigation) left out: `{}`",
                items.len(),
                crate::plural(items.len()),
                items
                    .iter()
                    .map(|&l| lines[l].trim())
                    .collect::<Vec<_>>()
                    .join("`, `"),
            ));
        }
        k = next(last + 1);
    }
    end
}

/// The lines of a vocabulary list from line `first` (two entries or more), else none.
fn glossary_from(
    lines: &[&str],
    first: Option<usize>,
    next: &dyn Fn(usize) -> Option<usize>,
) -> Vec<usize> {
    let mut entries = Vec::new();
    let mut at = first;
    while let Some(entry) = at.filter(|&l| is_glossary_entry(lines[l])) {
        entries.push(entry);
        at = next(entry + 1);
    }
    if entries.len() < 2 {
        entries.clear();
    }
    entries
}

/// True for list items of the article's: half of them or more state facts, and none is a
/// link label of the page's navigation.
fn is_list_of_facts(items: &[&str]) -> bool {
    let text = |l: &&str| {
        list_item(l)
            .map_or(*l, |(_, rest)| rest)
            .trim()
            .to_lowercase()
    };
    let facts = items.iter().filter(|l| is_fact(l)).count();
    facts * 2 >= items.len() && !items.iter().any(|l| NAVIGATION.contains(&text(l).as_str()))
}

/// A list item that states a fact or a sentence (a number, a label and its value, a closing
/// stop) rather than a link's label.
fn is_fact(line: &str) -> bool {
    let text = list_item(line).map_or(line, |(_, rest)| rest).trim();
    text.chars().any(|c| c.is_ascii_digit())
        || text.contains(": ")
        || text.ends_with(['.', '!', '?', ';', '。'])
}

/// True for a one- or two-word line (`Web Exclusive`) at line `i`, right under the byline,
/// a date line or the deck and before the text: a label of the page's, not a heading of the
/// text.
fn is_label_under_header(lines: &[&str], i: usize, body_from: usize) -> bool {
    let Some(above) = i.checked_sub(1).map(|a| lines[a].trim()) else {
        return false;
    };
    let header = byline(above).is_some()
        || date_line(above).is_some()
        || i == body_from + 1 && !is_paragraph(above);
    header
        && short_kind(lines[i]) == Short::Menu
        && !lines[i].contains(" | ")
        && date_line(lines[i]).is_none()
}

/// A warning for the paragraphs from line `from` to the page bar or the end, left out after
/// navigation.
fn warn_left_out(lines: &[&str], from: usize, is_chrome: &dyn Fn(&str) -> bool, page: &mut Page) {
    let left: Vec<&str> = lines[from..]
        .iter()
        .map(|l| l.trim())
        .take_while(|l| page_bar(l).is_none())
        .filter(|l| is_paragraph(l) && !is_chrome(l))
        .collect();
    let words: usize = left.iter().map(|l| l.split_whitespace().count()).sum();
    let opening: String = left[0].chars().take(40).collect();
    page.warnings.push(format!(
        "{} paragraph{} ({words} words) below the article's end (the site's navigation, or a comment's or teaser's date) left out, from `{opening}…`",
        left.len(),
        crate::plural(left.len()),
    ));
}

/// What a line that is not a paragraph reads as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Short {
    /// A sentence (`"Now we build," said Olsen.`), a line of a poem.
    Sentence,
    /// A list item (`- Born: 1951`, `• …`, `2. …`).
    Item,
    /// One or two words, or a row of links: navigation.
    Menu,
    /// Anything else: a heading, a label.
    Other,
}

fn short_kind(line: &str) -> Short {
    let line = line.trim();
    let words = line.split_whitespace().count();
    let cjk = line.chars().filter(|c| is_cjk(*c)).count();
    let ends = line.ends_with([
        '.', '!', '?', ',', ';', '"', '”', '’', '»', ')', '…', '。', '！', '？', '」', '）', '，',
    ]);
    if list_item(line).is_some() {
        Short::Item
    } else if line.contains(" | ") {
        Short::Menu
    } else if ends && (words >= 3 || cjk >= 6) {
        Short::Sentence
    } else if words <= 2 && cjk < 6 && !ends {
        Short::Menu
    } else {
        Short::Other
    }
}

/// A line that opens with a bullet (`- `, `• `): an item of a list.
fn is_bullet(line: &str) -> bool {
    list_item(line).is_some_and(|(numbered, _)| !numbered)
}

/// A list item's text, and whether the list is numbered: `- item`, `• item`, `2. item`.
fn list_item(line: &str) -> Option<(bool, &str)> {
    let line = line.trim();
    let bullet = ["- ", "• ", "* ", "· ", "▪ "]
        .iter()
        .find_map(|m| line.strip_prefix(m))
        .map(|rest| (false, rest));
    let numbered = || {
        let digits = line.find(|c: char| !c.is_ascii_digit())?;
        let rest = line[digits..]
            .strip_prefix(". ")
            .or_else(|| line[digits..].strip_prefix(") "))?;
        (1..=3).contains(&digits).then_some((true, rest))
    };
    bullet
        .or_else(numbered)
        .filter(|(_, rest)| rest.chars().any(char::is_alphanumeric))
}

/// Paragraphs in a row that are the items of a list (`1. …`, `2. …` numbered from 1, or
/// bulleted), as that list.
fn numbered_paragraphs(blocks: Vec<Block>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut start = 0;
    for block in blocks {
        let is_item = matches!(&block, Block::Paragraph { text } if list_item(text).is_some());
        out.push(block);
        if !is_item {
            let end = out.len() - 1;
            list_of(&mut out, start, end);
            start = out.len();
        }
    }
    let end = out.len();
    list_of(&mut out, start, end);
    out
}

/// The paragraphs `from..to` of `blocks` made one list, when they are its items.
fn list_of(blocks: &mut Vec<Block>, from: usize, to: usize) {
    let items: Vec<(bool, &str, &str)> = blocks[from..to]
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph { text } => list_item(text).map(|(o, rest)| (o, text.as_str(), rest)),
            _ => None,
        })
        .collect();
    let ordered = items.iter().all(|(o, _, _)| *o);
    let counted = items.iter().enumerate().all(|(n, (_, text, _))| {
        text.split(['.', ')']).next() == Some((n + 1).to_string().as_str())
    });
    if items.len() < 2 || ordered && !counted || !ordered && items.iter().any(|(o, _, _)| *o) {
        return;
    }
    let list = Block::List {
        ordered,
        items: items.iter().map(|(_, _, rest)| rest.to_string()).collect(),
    };
    blocks.splice(from..to, [list]);
}

/// Short lines that stand together, as the page shows them: a table (rows of cells parted
/// by tabs), a list (a heading over it perhaps), a heading or a sentence alone, or lines
/// (a stanza, an address) kept with their breaks.
fn short_blocks(group: &[&str]) -> Vec<Block> {
    if let Some(table) = tab_table(group) {
        return vec![table];
    }
    // A table's title on the line above it (`Car-loads moved, 2024`).
    if let [title, rows @ ..] = group {
        if let Some(table) = tab_table(rows).filter(|_| !title.contains('\t')) {
            let title = Block::Paragraph {
                text: title.to_string(),
            };
            return vec![title, table];
        }
    }
    let items = |lines: &[&str]| -> Option<Block> {
        let parsed: Vec<(bool, &str)> =
            lines.iter().map(|l| list_item(l)).collect::<Option<_>>()?;
        Some(Block::List {
            ordered: parsed.iter().all(|(o, _)| *o),
            items: parsed.iter().map(|(_, t)| t.to_string()).collect(),
        })
    };
    match group {
        [] => Vec::new(),
        // A line that ends as a sentence does (`Zhang: History.`), or a date alone (a
        // document's `January 2023`), is no heading.
        [line]
            if short_kind(line) == Short::Sentence
                || is_credit(line)
                || line
                    .trim_end()
                    .ends_with(['.', '!', '?', '。', '！', '？', ':', '：'])
                || is_month_and_year(line)
                || date_line(line).is_some() =>
        {
            vec![Block::Paragraph {
                text: line.to_string(),
            }]
        }
        _ if items(group).is_some() => items(group).into_iter().collect(),
        [line] => vec![heading(line)],
        // A line that leads into the list (`Residents are advised to:`) is text, not a
        // heading.
        [head, rest @ ..] if items(rest).is_some() && is_label(head) => {
            let lead = Block::Paragraph {
                text: head.to_string(),
            };
            std::iter::once(lead).chain(items(rest)).collect()
        }
        [head, rest @ ..] if items(rest).is_some() && short_kind(head) != Short::Sentence => {
            std::iter::once(heading(head)).chain(items(rest)).collect()
        }
        // A vocabulary under its label, a term and its translation a line.
        [head, rest @ ..] if is_vocabulary_label(head) && is_vocabulary(rest) => {
            let lead = Block::Paragraph {
                text: head.to_string(),
            };
            std::iter::once(lead).chain([glossary(rest)]).collect()
        }
        // Lines over a list that their last one leads into (`"Now we build," said Olsen.`,
        // `Residents are advised to:`, then the items).
        _ if list_tail(group).is_some_and(|at| items(&group[at..]).is_some()) => {
            let at = list_tail(group).unwrap_or_default();
            let leads = is_label(group[at - 1]);
            let lines = if leads { at - 1 } else { at };
            let mut blocks = short_blocks(&group[..lines]);
            blocks.extend(group[lines..at].iter().map(|lead| Block::Paragraph {
                text: lead.to_string(),
            }));
            blocks.extend(items(&group[at..]));
            blocks
        }
        lines => vec![Block::Markdown {
            text: lines
                .iter()
                .map(|l| escape(l))
                .collect::<Vec<_>>()
                .join("\\\n"),
        }],
    }
}

/// Where the list that ends `group` begins, after two lines or more that are not its items.
fn list_tail(group: &[&str]) -> Option<usize> {
    let at = group.iter().rposition(|l| list_item(l).is_none())? + 1;
    (at >= 2 && at < group.len()).then_some(at)
}

/// A month and a year alone (`January 2023`, `2023年1月`).
fn is_month_and_year(line: &str) -> bool {
    let line = line.trim();
    let words: Vec<String> = line.split_whitespace().map(str::to_lowercase).collect();
    let western = matches!(words.as_slice(), [month, year]
        if month.parse::<chrono::Month>().is_ok() && year.len() == 4 && year.chars().all(|c| c.is_ascii_digit()));
    let cjk = line.ends_with('月')
        && line.split_once('年').is_some_and(|(y, m)| {
            y.len() == 4
                && y.chars()
                    .chain(m.trim_end_matches('月').chars())
                    .all(|c| c.is_ascii_digit())
        });
    western || cjk
}

fn heading(line: &str) -> Block {
    Block::Heading {
        level: 2,
        text: line.to_string(),
    }
}

/// Rows of cells parted by tabs, each row with as many, as a pipe table (its first row the
/// header).
fn tab_table(group: &[&str]) -> Option<Block> {
    let by_tabs: Vec<Vec<&str>> = group
        .iter()
        .map(|l| l.split('\t').map(str::trim).collect())
        .collect();
    // Columns set with spaces (two or more between cells), three rows at least.
    let by_spaces: Vec<Vec<&str>> = group.iter().map(|l| spaced_cells(l)).collect();
    // Sentences parted by two spaces (a stanza typed so) are no cells.
    let sentences = (by_spaces.iter().flatten()).any(|c| c.ends_with(['.', '!', '?', ',', ';']));
    let by_spaces = if sentences { Vec::new() } else { by_spaces };
    let rows = [(by_tabs, 2), (by_spaces, 3)]
        .into_iter()
        .find(|(rows, least)| {
            let width = rows.first().map_or(0, Vec::len);
            rows.len() >= *least && width >= 2 && rows.iter().all(|r| r.len() == width)
        })?
        .0;
    let width = rows[0].len();
    let line = |row: &Vec<&str>| {
        let cells: Vec<String> = row.iter().map(|c| escape(c)).collect();
        format!("| {} |", cells.join(" | "))
    };
    // A column of figures is set right, as the page's spacing sets it.
    let figures = |column: usize| {
        rows[1..].iter().all(|r| {
            let cell = r[column].replace([',', '.', '%', '-', '+'], "");
            !cell.is_empty() && cell.chars().all(|c| c.is_ascii_digit())
        })
    };
    let rule: Vec<&str> = (0..width)
        .map(|c| if figures(c) { "--:" } else { "---" })
        .collect();
    let mut lines = vec![line(&rows[0]), format!("|{}|", rule.join("|"))];
    lines.extend(rows[1..].iter().map(line));
    Some(Block::Markdown {
        text: lines.join("\n"),
    })
}

/// A line's cells where two spaces or more part them (`Rougui    2,400    860`).
fn spaced_cells(line: &str) -> Vec<&str> {
    let mut cells = Vec::new();
    let mut start = 0;
    let mut spaces = 0;
    for (at, c) in line.char_indices() {
        if c == ' ' {
            spaces += 1;
            continue;
        }
        if spaces >= 2 {
            cells.push(line[start..at].trim());
            start = at;
        }
        spaces = 0;
    }
    cells.push(line[start..].trim());
    cells.retain(|c| !c.is_empty());
    cells
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

pub(super) fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xac00..=0xd7af)
}

/// `UPDATED: June 9, 2010`, `Published: 2021-03-12`, `Published 6 May 2024, 08:30 BST`, a line
/// that is only a date (after its weekday, before its time), or a part of a line that is one
/// (`By Maria Jensen | Monday, May 6, 2024`). Returns the date and whether it is an update
/// date.
fn date_line(line: &str) -> Option<(crate::model::IsoDate, bool)> {
    let line = line.trim();
    if line.is_empty() || line.chars().count() > 80 {
        return None;
    }
    if line.contains(['|', '·', '•']) {
        return line.split(['|', '·', '•']).find_map(date_line);
    }
    // A labelled date after other fields (`Source: Global Times Published: 2019/6/5 21:48`).
    let (_, dated) = at_date_label(line);
    if !dated.is_empty() {
        return date_line(dated);
    }
    if let Some((label, rest)) = line.split_once([':', '：']) {
        let label = label.trim().to_lowercase();
        if !label.is_empty()
            && label.chars().count() <= 20
            && label.chars().all(|c| c.is_alphabetic() || c == ' ')
        {
            let date = date_prefix(rest).or_else(|| date_after_clock(rest));
            return date.map(|d| (d, is_update_label(&label)));
        }
    }
    // A label without a colon: `Published 6 May 2024`, `First published on 6 May 2024`.
    if let Some((label, rest)) = word_label(line) {
        return timed_date(rest).map(|d| (d, is_update_label(&label)));
    }
    timed_date(line)
        .or_else(|| date_after_clock(line))
        .or_else(|| date_after_source(line))
        .map(|d| (d, false))
}

/// A date after its time (`08:15, March 14, 2004`, as People's Daily writes it).
fn date_after_clock(text: &str) -> Option<crate::model::IsoDate> {
    let (clock, rest) = text.trim().split_once(", ")?;
    is_clock(clock).then(|| timed_date(rest))?
}

/// `15:26`, `08:15:07`.
fn is_clock(word: &str) -> bool {
    let word = word.trim();
    word.contains(':') && word.chars().all(|c| c.is_ascii_digit() || c == ':')
}

/// A date after the name of its source or site, perhaps with a time between (`Xinhua, June 5,
/// 2024`, `(People's Daily Online) 15:26, June 05, 2024`, `0 Comment(s)Print E-mail
/// China.org.cn, June 5, 2024`, `www.chinaview.cn 2006-09-12 18:03:44`): a few words, no
/// sentence.
fn date_after_source(line: &str) -> Option<crate::model::IsoDate> {
    let domain = |word: &str| {
        word.contains('.')
            && !word.ends_with('.')
            && (word.chars()).all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
    };
    // A site's address (`China.org.cn`), a source in brackets (`(People's Daily Online)`) or
    // a news agency (`Xinhua`): not a writer's name or a place (`Marlow, Wednesday, …`).
    let is_source = |source: &str| {
        let source = source.trim();
        let bracketed = source.starts_with('(') && source.ends_with(')');
        let agency = AGENCIES.iter().any(|a| source.eq_ignore_ascii_case(a));
        let last = source.split_whitespace().last().unwrap_or_default();
        source.split_whitespace().count() <= 6 && (bracketed || agency || domain(last))
    };
    if let Some((source, rest)) = line.split_once(", ") {
        let (source, date) = match source.rsplit_once(' ') {
            Some((before, clock)) if is_clock(clock) => (before, timed_date(rest)),
            _ => (source, timed_date(rest).or_else(|| date_after_clock(rest))),
        };
        if date.is_some() && is_source(source) {
            return date;
        }
    }
    let (site, rest) = line.split_once(' ')?;
    domain(site).then(|| timed_date(rest))?
}

/// News agencies whose name stands before a date (`Xinhua, June 5, 2024`).
const AGENCIES: [&str; 10] = [
    "xinhua",
    "xinhuanet",
    "reuters",
    "ap",
    "afp",
    "bloomberg",
    "kyodo",
    "yonhap",
    "tass",
    "cgtn",
];

/// A date alone, perhaps after its weekday (`Monday, May 6, 2024`) and before its time
/// (`6 May 2024, 08:30 BST`, `May 6, 2024 at 8:30 am`).
fn timed_date(text: &str) -> Option<crate::model::IsoDate> {
    // A CJK date run into its time (`2024年03月04日08:15`).
    let spaced;
    let text = match text.find('日') {
        Some(at) if text[at + '日'.len_utf8()..].starts_with(|c: char| c.is_ascii_digit()) => {
            spaced = format!(
                "{} {}",
                &text[..at + '日'.len_utf8()],
                &text[at + '日'.len_utf8()..]
            );
            spaced.as_str()
        }
        _ => text,
    };
    let mut words: Vec<&str> = text.split_whitespace().collect();
    if is_weekday(&words.first()?.to_lowercase()) {
        words.remove(0);
    }
    let time_like = |w: &&str| {
        let w = w.trim_matches(['(', ')', ',']);
        w.contains(':') && w.chars().any(|c| c.is_ascii_digit())
            || matches!(
                w.to_lowercase().as_str(),
                "am" | "pm" | "a.m." | "p.m." | "at" | "h"
            )
            || (2..=4).contains(&w.len()) && w.chars().all(|c| c.is_ascii_uppercase())
    };
    (1..=words.len().min(4)).rev().find_map(|n| {
        let date = parse_date(words[..n].join(" ").trim_end_matches(','))?;
        words[n..].iter().all(time_like).then_some(date)
    })
}

/// A row of the page's tools in brackets: `【字号 大 中 小】 【打印】`, `[Print] [Share]`.
fn is_toolbar(line: &str) -> bool {
    let line = line.trim();
    let bracketed = line.starts_with(['【', '[']) && line.ends_with(['】', ']']);
    bracketed || is_share_row(line)
}

/// A row of a page's sharing tools: only their words, between separators.
fn is_share_row(line: &str) -> bool {
    let words: Vec<String> = line
        .split(['|', '·', '/', '：', ':', ' ', '\u{3000}'])
        .map(|w| w.trim().to_lowercase())
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect();
    !words.is_empty() && words.len() <= 8 && words.iter().all(|w| SHARE_WORDS.contains(&w.as_str()))
}

/// An image's credit standing alone: `Photo: Anders Holm`, `Photograph by …`, `(XINHUA)`.
fn is_credit(line: &str) -> bool {
    const LABELS: [&str; 10] = [
        "photo:",
        "photo by",
        "photos:",
        "photograph",
        "image:",
        "picture:",
        "credit:",
        "illustration:",
        "图片：",
        "摄影：",
    ];
    let lower = line.trim().to_lowercase();
    LABELS.iter().any(|l| lower.starts_with(l))
        || lower.starts_with(['(', '（']) && lower.ends_with([')', '）'])
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

/// Records what a page bar surely says: the pages it lists, and this capture's page when it
/// marks one (a text capture shows no links, so an unmarked bar leaves the page unknown).
fn read_page_bar(bar: PageBar, page: &mut Page) {
    if let Err(why) = bar.check() {
        page.warnings.push(format!(
            "a page bar listing {:?} was left out: {why}",
            bar.listed
        ));
        return;
    }
    page.pages.listed = bar.listed;
    page.pages.page = page.pages.page.or(bar.current);
}

/// `Previous 3 4 5 6 Next`, `« 1 [2] 3 »`: page numbers and navigation words only. A number
/// in brackets, parentheses or asterisks is the current page.
fn page_bar(line: &str) -> Option<PageBar> {
    const WORDS: [&str; 18] = [
        "previous",
        "prev",
        "next",
        "first",
        "last",
        "«",
        "»",
        "‹",
        "›",
        "<<",
        ">>",
        "...",
        "上一页",
        "下一页",
        "首页",
        "尾页",
        "前へ",
        "次へ",
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

/// Whether `line` is a page bar left in an HTML page's text (`Page 1 2 3`, `« 1 [2] 3 »`,
/// `Previous 3 4 5 Next`) or says which page this is (`Page 2 of 3`): consecutive page
/// numbers, with a navigation word, from page 1, or with the current page marked (`7 2`, a
/// vote, is no page bar).
pub(crate) fn is_page_bar(line: &str) -> bool {
    let rest = line.trim_start();
    let rest = ["pages ", "page "]
        .iter()
        .find_map(|word| {
            rest.get(..word.len())
                .filter(|head| head.eq_ignore_ascii_case(word))
                .map(|_| &rest[word.len()..])
        })
        .unwrap_or(rest);
    let bar = page_bar(rest).filter(|bar| {
        let consecutive = bar.listed.windows(2).all(|w| w[1] == w[0] + 1);
        consecutive && (bar.navigation || bar.listed[0] == 1 || bar.current.is_some())
    });
    bar.is_some() || page_of(line).is_some()
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

/// Words a company's name adds to its publication's (`Island Times Media Ltd`).
const COMPANY_WORDS: [&str; 24] = [
    "media",
    "ltd",
    "limited",
    "inc",
    "group",
    "publishing",
    "publications",
    "publishers",
    "llc",
    "plc",
    "gmbh",
    "as",
    "asa",
    "co",
    "company",
    "corporation",
    "corp",
    "newspapers",
    "holdings",
    "pty",
    "sa",
    "ag",
    "bv",
    "oy",
];

/// The publication a copyright holder's name begins with, where the page shows it as a line
/// of its own (the masthead `Island Times` of `Copyright 2025 Island Times Media Ltd`) and
/// the holder's name adds only a company's words to it. `lines` are those above the title:
/// a line of the text (a subheading `Valley`) is no masthead.
fn masthead(lines: &[&str], holder: &str) -> Option<String> {
    lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && l.len() < holder.len())
        .find(|line| {
            holder
                .strip_prefix(line)
                .filter(|rest| rest.starts_with(' '))
                .is_some_and(|rest| {
                    rest.split_whitespace().all(|w| {
                        let w = w.trim_end_matches(['.', ',']).to_ascii_lowercase();
                        COMPANY_WORDS.contains(&w.as_str())
                    })
                })
        })
        .map(str::to_string)
}

/// The holder a copyright line names: `Copyright Beijing Review All right reserved`,
/// `© 2021 The Harbour Weekly. All rights reserved.`
/// What a copyright notice opens with.
const COPYRIGHT_MARKS: [&str; 4] = ["copyright", "©", "(c)", "版权所有"];

/// A copyright notice: a line opening with its mark (`Copyright 2005 by chinadaily.com.cn`,
/// `© 2000-2024 …`, `版权所有 …`) that gives a year, a © or reserves the rights.
fn is_copyright_notice(line: &str) -> bool {
    let lower = line.trim().to_lowercase();
    let marked = COPYRIGHT_MARKS.iter().any(|m| lower.starts_with(m));
    let year = lower
        .split(|c: char| !c.is_ascii_digit())
        .any(|n| n.len() == 4);
    // `Copyright lawyers said …` is a sentence of the text; a notice has its year, its ©, or
    // reserves the rights.
    marked && (lower.contains("reserved") || lower.contains('©') || year)
}

/// A line asking the reader to follow the site elsewhere (`Follow China.org.cn on Twitter and
/// Facebook to join the conversation.`).
fn is_social_pitch(line: &str) -> bool {
    const NETWORKS: [&str; 7] = [
        "twitter",
        "facebook",
        "wechat",
        "weibo",
        "instagram",
        "youtube",
        "tiktok",
    ];
    let lower = line.trim().to_lowercase();
    let asks = ["follow ", "like us", "join us", "find us"]
        .iter()
        .any(|w| lower.starts_with(w));
    asks && NETWORKS.iter().any(|n| lower.contains(n)) && lower.split_whitespace().count() <= 20
}

/// A line that ends with a date and its time: a teaser's or a related story's (`Hybrid rice
/// pioneer honoured 2005-02-28 09:12`; a line of text ends with a date, not a timestamp).
fn ends_dated(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let dated = |word: &str| parse_date(word).is_some();
    match words.as_slice() {
        [_, _, .., date, clock] if is_clock(clock) => dated(date),
        _ => false,
    }
}

fn copyright_holder(line: &str) -> Option<String> {
    let line = line.trim();
    let rest = COPYRIGHT_MARKS.iter().find_map(|mark| {
        line.get(..mark.len())
            .filter(|p| p.eq_ignore_ascii_case(mark))
            .map(|_| &line[mark.len()..])
    })?;
    if !rest.starts_with([' ', '©', '\u{3000}']) {
        return None;
    }
    let mut holder = rest.trim();
    for mark in ["©", "(c)", "(C)"] {
        holder = holder.trim_start_matches(mark).trim();
    }
    // Years first, then the holder, then the reservation.
    holder = holder
        .trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '-' | '–' | ',' | ' '));
    let lower = holder.to_ascii_lowercase();
    let end = ["all right", "all rights", ". ", "|", " copyright"]
        .iter()
        .filter_map(|m| lower.find(m))
        .min()
        .unwrap_or(holder.len());
    let holder = holder[..end].trim().trim_end_matches(['.', ',']).trim();
    // A year after the holder (`Copyright Harbour Review 2021`).
    let holder = holder
        .trim_end_matches(|c: char| c.is_ascii_digit() || matches!(c, '-' | '–' | ',' | ' '))
        .trim();
    let holder = holder
        .get(..3)
        .filter(|by| by.eq_ignore_ascii_case("by "))
        .map_or(holder, |_| holder[3..].trim());
    // A web address is no publication's name (`© 1997-2024 by www.people.com.cn`).
    let address = !holder.contains(' ') && holder.contains('.');
    (!holder.is_empty() && holder.len() <= 80 && !address).then(|| holder.to_string())
}

/// The authors of a byline line (`By Ana Lopes and Tom Reilly`, `Written by …`, `Author: …`,
/// `By Maria Jensen | May 6, 2024`).
fn byline(line: &str) -> Option<Vec<String>> {
    const LABELS: [&str; 10] = [
        "by ",
        "written by ",
        "words by ",
        "story by ",
        "reported by ",
        "author: ",
        "authors: ",
        "reporter: ",
        "作者：",
        "记者：",
    ];
    let line = line.trim();
    if is_paragraph(line) {
        return None;
    }
    let first = line.split(['|', '·', '•']).next()?.trim();
    let rest = LABELS.iter().find_map(|label| {
        let head = first.get(..label.len())?;
        head.eq_ignore_ascii_case(label)
            .then(|| &first[label.len()..])
    })?;
    // `split_byline` leaves out a dateline's place (`By WANG XIAOMING in Beijing`); the
    // paper after a name (`By Wang Ying (China Daily)`) is no part of it.
    let authors: Vec<String> = split_byline(rest)
        .into_iter()
        .map(|name| match name.split_once(" (") {
            Some((name, paper)) if paper.ends_with(')') => name.trim().to_string(),
            _ => name,
        })
        .collect();
    (!authors.is_empty()).then_some(authors)
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
/// from a line of prose above them, and hardly any is longer than a wrapped line (100
/// characters).
fn is_wrapped(lines: &[&str]) -> bool {
    let prose = |l: &str| l.split_whitespace().count() >= 6;
    let total = lines.iter().filter(|l| prose(l)).count();
    let running_on = lines
        .windows(2)
        .filter(|w| prose(w[0]) && prose(w[1]))
        .count();
    let long = lines.iter().filter(|l| l.chars().count() > 100).count();
    total >= 5 && running_on * 2 >= total && long * 10 <= total && prose_words(lines) >= 50
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
    fn a_label_between_the_title_and_the_date_is_left_out_with_a_warning_and_the_title_kept() {
        for label in ["Web Exclusive", "Analysis", "Photo Gallery"] {
            let text = format!(
                "Harbour Post\nHome | News | Sport\n\nOtters Come Back to the Old Mill Pond\n{label}\n\
                 Posted: 4 May 2022\nBy Ines Moe\n\nA family of otters has been seen at the old mill \
                 pond for the first time in thirty years, the river trust said on Tuesday morning.\n\n\
                 Walkers are asked to keep their dogs on a lead along the bank until the autumn, when \
                 the young should be grown.\n"
            );
            let page = extract("mill.txt", &text, &[]).unwrap();
            assert_eq!(
                page.meta.title, "Otters Come Back to the Old Mill Pond",
                "{label}"
            );
            assert_eq!(
                page.meta.published.map(|d| d.to_string()).as_deref(),
                Some("2022-05-04")
            );
            assert!(
                page.warnings
                    .iter()
                    .any(|w| w.contains(&format!("the label `{label}`"))),
                "{:?}",
                page.warnings
            );
            assert!(!format!("{:?}", page.blocks).contains(label), "{label}");
        }
    }

    #[test]
    fn a_line_alone_that_ends_as_a_sentence_or_is_a_date_is_no_heading() {
        for line in [
            "Zhang: History.",
            "January 2023",
            "2023年1月",
            "UPDATED: May 6, 2024",
        ] {
            assert!(
                matches!(short_blocks(&[line])[..], [Block::Paragraph { .. }]),
                "{line}"
            );
        }
        assert!(matches!(
            short_blocks(&["Cost of relocation"])[..],
            [Block::Heading { .. }]
        ));
    }

    #[test]
    fn the_line_under_a_page_s_first_line_is_the_deck_when_that_line_is_the_article_s_title() {
        let page = |first: &str| {
            let text = format!(
                "{first}\nShort-line railways are reviving tracks the big carriers abandoned\nHome\nBusiness\n\
                 Posted: March 4, 2025\nGrain Trains Return\n\n{}\n\n{}\n",
                "When the line closed the farmers assumed they had heard the last train whistle of their lives for good.",
                "Twenty-six years later the whistle is back, and the short line moves wheat, canola and peas."
            );
            extract("p.txt", &text, &[]).unwrap()
        };
        assert_eq!(
            page("Grain Trains Return").meta.deck.as_deref(),
            Some("Short-line railways are reviving tracks the big carriers abandoned")
        );
        // The seed's kind: the first lines promote another story.
        assert_eq!(page("Quake Shocks Sichuan").meta.deck, None);
    }

    #[test]
    fn rows_of_tab_or_space_parted_cells_are_a_table_with_its_title_on_the_line_above_kept() {
        let blocks = short_blocks(&[
            "Car-loads moved, 2024",
            "Month\tWheat\tPeas",
            "September\t120\t40",
            "October\t210\t55",
        ]);
        assert_eq!(
            blocks,
            [
                Block::Paragraph {
                    text: "Car-loads moved, 2024".into()
                },
                Block::Markdown {
                    text: "| Month | Wheat | Peas |\n|---|--:|--:|\n| September | 120 | 40 |\n| October | 210 | 55 |"
                        .into()
                }
            ]
        );
        // Columns set with spaces, three rows at least; a column of figures set right.
        let spaced = short_blocks(&[
            "Grade          Output (tonnes)    Price",
            "Dahongpao      1,850              1,200",
            "Rougui         2,400              860",
        ]);
        assert_eq!(
            spaced,
            [Block::Markdown {
                text: "| Grade | Output (tonnes) | Price |\n|---|--:|--:|\n| Dahongpao | 1,850 | 1,200 |\n| Rougui | 2,400 | 860 |".into()
            }]
        );
        // Two lines with double spaces are no table.
        assert!(!matches!(
            short_blocks(&["Wheat  and  peas", "Oats  and  rye"]).as_slice(),
            [Block::Markdown { text }] if text.starts_with('|')
        ));
    }

    #[test]
    fn page_bars() {
        let bar = page_bar("   Previous   3   4   5   6   7   8   9   Next  ").unwrap();
        assert_eq!((bar.listed, bar.current), (vec![3, 4, 5, 6, 7, 8, 9], None));
        let bar = page_bar("1 2 下一页").unwrap();
        assert_eq!((bar.listed, bar.navigation), (vec![1, 2], true));
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
    fn the_publication_is_its_masthead_not_the_company_a_copyright_line_names() {
        let lines = [
            "Home | News",
            "Island Times",
            "",
            "Copyright 2025 Island Times Media Ltd",
        ];
        assert_eq!(
            masthead(&lines, "Island Times Media Ltd").as_deref(),
            Some("Island Times")
        );
        // A holder that is more than a company's words after the line is not its masthead.
        assert_eq!(masthead(&["Island"], "Island Times Media Ltd"), None);
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
mod list_tests {
    use super::*;

    const PARAGRAPH: &str = "The harbour master said on Monday that the east quay will be busier this summer than in any year since the war.";

    /// A letter's page: its title and date line, a paragraph, then `run` where the text ends.
    fn closing(run: &str) -> String {
        format!("Letters\nUPDATED: June 4, 2024\n\n{PARAGRAPH}\n\n{run}\n")
    }

    fn capture(run: &str) -> String {
        format!("Published: 3 June 2024\nA busy summer\n\n{PARAGRAPH}\n\n{run}\n\n{PARAGRAPH}\n\n{PARAGRAPH}\n")
    }

    #[test]
    fn navigation_words_between_paragraphs_still_end_the_text_with_a_warning() {
        let page = extract("nav.txt", &capture("Home\nNews\nSport\nWeather"), &[]).unwrap();
        assert_eq!(page.blocks.len(), 1, "{:?}", page.blocks);
        assert!(
            page.warnings[0].starts_with("2 paragraphs"),
            "{:?}",
            page.warnings
        );
    }

    #[test]
    fn a_letter_s_writer_and_date_under_its_text_are_kept_and_dated_teasers_are_not() {
        let signed = closing(
            "Margaret Hale, Milton, June 3, 2024\n\nMore stories\nBridge reopens\nFair returns",
        );
        let page = extract("letter.txt", &signed, &[]).unwrap();
        assert_eq!(
            page.blocks.last(),
            Some(&Block::Paragraph {
                text: "Margaret Hale, Milton, June 3, 2024".into()
            })
        );
        let teasers =
            closing("Bridge Reopens After Repairs, June 3, 2024\nFair Returns, June 2, 2024");
        let page = extract("letter.txt", &teasers, &[]).unwrap();
        assert_eq!(page.blocks.len(), 1, "{:?}", page.blocks);
        // A teaser under a label the site's other pages repeat.
        let next = closing("Next Article\nBandstand Saved, June 7, 2024\nStorm Closes Harbour");
        let page = extract("a.txt", &next, &["Next Article\n".to_string()]).unwrap();
        assert_eq!(page.blocks.len(), 1, "{:?}", page.blocks);
    }

    #[test]
    fn a_vocabulary_of_terms_and_their_translations_after_the_text_is_kept_as_a_list() {
        for spacing in ["\n\n", "\n"] {
            let entries = ["involution 内卷", "lying flat 躺平", "let it rot 摆烂"].join(spacing);
            let text = closing(&format!("Vocabulary:\n\n{entries}\n\nCopyedited by Elsbeth van Paridon\n\nCurrent Issue\nPrevious Issues\nPDF Edition\nRSS Feeds"));
            let page = extract("words.txt", &text, &[]).unwrap();
            let shown = crate::ingest::web::markdown::to_markdown(&page.blocks[1..]);
            assert_eq!(
                shown,
                "Vocabulary:\n\n- involution 内卷\n- lying flat 躺平\n- let it rot 摆烂\n\nCopyedited by Elsbeth van Paridon\n",
                "{:?}",
                page.blocks
            );
        }
    }

    #[test]
    fn lines_in_two_scripts_are_no_vocabulary_without_its_label() {
        // The site's bilingual links under the text, a poem in two languages, a heading.
        let nav = closing("关于我们 About Us\n联系我们 Contact Us\n隐私政策 Privacy Policy");
        let page = extract("nav.txt", &nav, &[]).unwrap();
        assert_eq!(page.blocks.len(), 1, "{:?}", page.blocks);
        let poem = capture("She reads it in both languages, as she made it with a friend from the same dormitory:\n\n月亮 the moon\n在仓库上面 over the warehouse\n我的手 my hands");
        let page = extract("poem.txt", &poem, &[]).unwrap();
        assert!(
            matches!(&page.blocks[2], Block::Markdown { text } if text.starts_with("月亮 the moon\\\n")),
            "{:?}",
            page.blocks
        );
        let headed =
            capture("The 996 schedule 九九六\n\n{PARAGRAPH}").replace("{PARAGRAPH}", PARAGRAPH);
        let page = extract("head.txt", &headed, &[]).unwrap();
        assert!(
            page.blocks.contains(&heading("The 996 schedule 九九六")),
            "{:?}",
            page.blocks
        );
    }

    #[test]
    fn a_sign_off_s_words_heading_a_section_keep_it_a_heading() {
        let page = extract("heads.txt", &capture("Source: the tide tables"), &[]).unwrap();
        assert!(
            page.blocks.contains(&heading("Source: the tide tables")),
            "{:?}",
            page.blocks
        );
    }

    #[test]
    fn a_list_under_lines_that_lead_into_it_is_a_list() {
        let run = "\"Now we build,\" said Olsen.\nResidents are advised to:\n- keep clear of the works\n- use the north slip";
        let page = extract("list.txt", &capture(run), &[]).unwrap();
        let shown = crate::ingest::web::markdown::to_markdown(&page.blocks[1..4]);
        assert_eq!(
            shown,
            "\"Now we build,\" said Olsen.\n\nResidents are advised to:\n\n- keep clear of the works\n- use the north slip\n",
            "{:?}",
            page.blocks
        );
    }

    #[test]
    fn short_lines_the_text_goes_on_after_are_kept() {
        let page = extract("list.txt", &capture("Tugboats\nFerries\nTrawlers"), &[]).unwrap();
        assert_eq!(page.blocks.len(), 4, "{:?}", page.blocks);
        assert!(page.warnings.is_empty(), "{:?}", page.warnings);
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
        assert_eq!(page.pages.listed, [3, 4, 5, 6, 7, 8, 9]);
        assert_eq!(
            (page.pages.page, page.pages.count, page.meta.deck.as_deref()),
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

#[cfg(test)]
mod header_tests {
    use super::*;

    const TEXT: &str =
        "The mill's new owners promise to keep every loom working through the winter months.";

    /// A text capture shaped like a news site's: navigation, the title over its standfirst,
    /// the byline and the date, the text, a picture credit, `bar` and the site's footer.
    fn capture(header: &str, bar: &str) -> String {
        format!(
            "Home | News | Sport | Contact\nValley Courier\n\n{header}\n\n{TEXT}\n\n{TEXT}\n\nPhoto: Valley Courier\n\n{bar}\n\nMore stories\nBridge reopens\nFair returns\n\nCopyright 2025 Valley Courier Ltd\n"
        )
    }

    const HEADER: &str = "Woollen mill saved from closure by staff buyout\nWorkers pool their savings to buy the business\nBy Eira Pugh\nUPDATED: March 4, 2025 10:12";

    #[test]
    fn a_title_over_a_shorter_standfirst_with_a_byline_before_the_date_is_the_title() {
        let page = extract("mill.txt", &capture(HEADER, "Page 1 of 2"), &[]).unwrap();
        assert_eq!(
            page.meta.title,
            "Woollen mill saved from closure by staff buyout"
        );
        assert_eq!(
            page.meta.deck.as_deref(),
            Some("Workers pool their savings to buy the business")
        );
        assert_eq!(page.meta.authors, ["Eira Pugh"]);
    }

    #[test]
    fn a_page_bar_after_a_picture_credit_gives_the_pages_it_lists_and_no_page() {
        let page = extract("mill.txt", &capture(HEADER, "Previous 1 2 3 Next"), &[]).unwrap();
        assert_eq!((page.pages.listed, page.pages.page), (vec![1, 2, 3], None));
        assert!(
            page.warnings[0].contains("marks none as this capture's"),
            "{:?}",
            page.warnings
        );
        assert_eq!(
            page.blocks.last(),
            Some(&Block::Paragraph {
                text: "Photo: Valley Courier".into()
            })
        );
    }

    #[test]
    fn the_lines_that_sign_an_article_off_stay_with_its_text_and_the_footer_does_not() {
        let text = format!(
            "Valley Courier\n\n{HEADER}\n\n{TEXT}\n\n{TEXT}\n\n(To be continued)\n\nEditor: Zhang Yiyi\nSource: Xinhua\n责任编辑：王震\nCopyright Valley Courier All right reserved\n"
        );
        let page = extract("mill.txt", &text, &[]).unwrap();
        let shown = crate::ingest::web::markdown::to_markdown(&page.blocks);
        assert!(
            shown.ends_with(
                "(To be continued)\n\nEditor: Zhang Yiyi\\\nSource: Xinhua\\\n责任编辑：王震\n"
            ),
            "{shown}"
        );
    }

    #[test]
    fn a_bracketed_number_in_a_page_bar_after_a_credit_is_the_capture_s_page() {
        let page = extract("mill.txt", &capture(HEADER, "« 1 [2] 3 »"), &[]).unwrap();
        assert_eq!(
            (page.pages.listed, page.pages.page),
            (vec![1, 2, 3], Some(2))
        );
        assert!(page.warnings.is_empty(), "{:?}", page.warnings);
        assert_eq!(
            page.blocks.last(),
            Some(&Block::Paragraph {
                text: "Photo: Valley Courier".into()
            })
        );
    }
}
