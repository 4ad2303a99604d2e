//! Pages of a multi-page article that no capture holds: the editions say so where the page
//! would be (or at the article's end when that place is not known), so that a reader knows
//! text is missing rather than taking the article for complete.

use super::words::Words;
use crate::model::Article;
use std::borrow::Cow;

/// `body` with a notice, in `words`' language, where each run of the article's missing pages
/// would be: before the mark of the first page after it (`<!-- page 3: … -->`), before the
/// text when a one-page capture is a later page, or else at the end.
pub(crate) fn with_missing_pages<'a>(
    article: &Article,
    body: &'a str,
    words: &Words,
) -> Cow<'a, str> {
    let Some(pages) = article.pages.as_ref().filter(|p| !p.missing.is_empty()) else {
        return Cow::Borrowed(body);
    };
    // Where each page present starts: its mark, or the whole body for a one-page capture.
    let mut starts: Vec<(u32, usize)> = marks(body);
    if starts.is_empty() {
        starts.extend(pages.page.map(|p| (p, 0)));
    }
    let mut notices: Vec<(usize, Vec<u32>)> = Vec::new();
    for &page in &pages.missing {
        let at = starts
            .iter()
            .find(|(present, _)| *present > page)
            .map_or(body.len(), |(_, at)| *at);
        match notices.last_mut() {
            Some((last_at, run)) if *last_at == at => run.push(page),
            _ => notices.push((at, vec![page])),
        }
    }
    let mut out = String::with_capacity(body.len() + 80 * notices.len());
    let mut from = 0;
    for (at, run) in notices {
        out.push_str(&body[from..at]);
        if !out.is_empty() && !out.ends_with("\n\n") {
            out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
        }
        out.push_str(&format!("*{}*\n\n", notice(&run, words)));
        from = at;
    }
    out.push_str(&body[from..]);
    Cow::Owned(out)
}

/// "Not captured: page 2 of the original." for a run of missing pages.
fn notice(run: &[u32], words: &Words) -> String {
    let list: Vec<String> = run.iter().map(u32::to_string).collect();
    let pattern = if run.len() == 1 {
        words.not_captured
    } else {
        words.not_captured_pages
    };
    words.fill(pattern, &list.join(", "))
}

/// The page marks of a body (`<!-- page 2: sources/x.txt -->` at a line's start): each
/// page's number and the byte where its mark begins.
fn marks(body: &str) -> Vec<(u32, usize)> {
    let mut found = Vec::new();
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let number = line
            .strip_prefix("<!-- page ")
            .and_then(|rest| rest.split(':').next())
            .and_then(|n| n.trim().parse().ok());
        if let Some(number) = number {
            found.push((number, offset));
        }
        offset += line.len();
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::words::words;
    use crate::model::Pages;

    fn article(page: Option<u32>, missing: &[u32], language: Option<&str>) -> Article {
        Article {
            id: "a".into(),
            title: "A".into(),
            deck: None,
            authors: Vec::new(),
            section: None,
            updated: None,
            published: None,
            pages: Some(Pages {
                page,
                count: None,
                listed: Vec::new(),
                missing: missing.to_vec(),
            }),
            language: language.map(str::to_string),
            body: "articles/a.md".into(),
            images: Vec::new(),
            sources: Vec::new(),
        }
    }

    #[test]
    fn a_missing_page_between_two_captured_pages_is_named_where_it_would_be() {
        let body =
            "<!-- page 1: sources/a.txt -->\n\nOne.\n\n<!-- page 3: sources/c.txt -->\n\nThree.\n";
        let shown = with_missing_pages(&article(None, &[2], None), body, words(None));
        assert_eq!(
            shown,
            "<!-- page 1: sources/a.txt -->\n\nOne.\n\n*Not captured: page 2 of the original.*\n\n<!-- page 3: sources/c.txt -->\n\nThree.\n"
        );
    }

    #[test]
    fn pages_missing_around_a_one_page_capture_are_named_before_and_after_it() {
        let shown = with_missing_pages(
            &article(Some(2), &[1, 3, 4], Some("de")),
            "Zwei.",
            words(Some("de")),
        );
        assert_eq!(
            shown,
            "*Nicht erfasst: Seite 1 des Originals.*\n\nZwei.\n\n*Nicht erfasst: Seiten 3, 4 des Originals.*\n\n"
        );
    }

    #[test]
    fn an_article_with_no_missing_page_is_left_as_it_is() {
        let body = "One.\n";
        assert!(matches!(
            with_missing_pages(&article(Some(1), &[], None), body, words(None)),
            Cow::Borrowed("One.\n")
        ));
    }
}
