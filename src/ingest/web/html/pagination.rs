//! An HTML page's page bar, taken only when it is this article's pagination: consecutive
//! small page numbers from 1 (or up to the current page), with a current page marked or links
//! that lead to pages of the same article. Stray numbers (a year, a page of comments, a
//! listing's `1 … 10 941`) are not a page bar; a bar that looks like one but is not usable is
//! reported as a warning, never as an error.

use super::super::{Page, PageBarCheck};
use super::convert::clean;
use dom_query::{Document, NodeRef};

/// The most words a page bar's text holds (a bar of twenty numbers with `Previous`, `Next`,
/// `First`, `Last` and a `Page 3 of 20` holds fewer), and at most 300 characters.
const MAX_BAR_WORDS: usize = 40;

/// The numbers a pagination element holds, and what marks them.
struct Numbers {
    listed: Vec<u32>,
    current: Option<u32>,
    /// Numbers that are links to a page of this article.
    same_article: usize,
    /// `…` between numbers: a listing's pager, not an article's.
    gap: bool,
}

/// Reads the pagination element (a class or id naming `pag…`) into `page`, or says why the
/// one found is not this article's pagination. `own` is the address the capture was fetched
/// from (a WARC record's), which alone marks the page in a bar that links every number.
pub fn read(
    document: &Document,
    page_url: Option<&url::Url>,
    own: Option<&url::Url>,
    page: &mut Page,
) -> Option<String> {
    // A bar is a short row of numbers and words (`« Previous 1 2 3 Next »`, `Page 2 of 3`); a
    // wrapper named `page` around the article (WordPress's `<div id="page">`) is no bar, however
    // many numbers its text holds.
    let bars: Vec<NodeRef> = document
        .select("[class*=pag], [id*=pag]")
        .nodes()
        .iter()
        .filter(|b| {
            let text = clean(&b.text());
            text.split_whitespace().count() <= MAX_BAR_WORDS && text.chars().count() <= 300
        })
        .copied()
        .collect();
    let numbered = |b: &&NodeRef| {
        let mut count = 0;
        visit_numbers(b, &mut |_, _| count += 1);
        count >= 2
    };
    let worded = |b: &&NodeRef| clean(&b.text()).to_ascii_lowercase().contains(" of ");
    // The innermost element with numbers: a wrapper named `page…` around the whole article
    // (its tables' years, its notes' numbers) holds the bar, and is not it. Else one that says
    // `Page 2 of 3`.
    let bar = innermost(bars.iter().filter(numbered).copied().collect())
        .or_else(|| bars.iter().find(worded).copied())?;
    let numbers = numbers(&bar, page_url, own);
    let text = clean(&bar.text());
    let words: Vec<&str> = text.split_whitespace().collect();
    if let Some(at) = words.iter().position(|w| w.eq_ignore_ascii_case("of")) {
        if at >= 1 && at + 1 < words.len() {
            if let (Ok(n), Ok(m)) = (words[at - 1].parse::<u32>(), words[at + 1].parse::<u32>()) {
                if n >= 1 && n <= m && m <= super::super::MAX_PAGES {
                    page.pages.page = Some(n);
                    page.pages.count = Some(m);
                }
            }
        }
    }
    if numbers.listed.len() < 2 {
        return None;
    }
    let check = PageBarCheck {
        listed: &numbers.listed,
        current: numbers.current,
        evidence: numbers.current.is_some() || numbers.same_article > 0,
        gap: numbers.gap,
    };
    match check.verdict() {
        Ok(()) => {
            page.pages.listed = numbers.listed.clone();
            page.pages.page = page.pages.page.or(numbers.current);
            None
        }
        Err(why) => Some(format!(
            "a page bar listing {:?} was left out: {why}",
            numbers.listed
        )),
    }
}

/// The first of `nodes` that holds none of the others.
fn innermost(nodes: Vec<NodeRef>) -> Option<NodeRef> {
    let holds = |outer: &NodeRef, inner: &NodeRef| {
        inner.id != outer.id && inner.ancestors(None).iter().any(|a| a.id == outer.id)
    };
    nodes
        .iter()
        .find(|outer| !nodes.iter().any(|inner| holds(outer, inner)))
        .copied()
}

fn numbers(bar: &NodeRef, page_url: Option<&url::Url>, own_url: Option<&url::Url>) -> Numbers {
    let mut found = Numbers {
        listed: Vec::new(),
        current: None,
        same_article: 0,
        gap: clean(&bar.text()).contains('…') || clean(&bar.text()).contains("..."),
    };
    let mut unlinked = Vec::new();
    // Numbers that link to this very page: a bar that links every number marks its own so.
    let mut own = Vec::new();
    let mut linked = 0;
    let mut to_itself = 0;
    visit_numbers(bar, &mut |node, number| {
        found.listed.push(number);
        let marked = node.attr("aria-current").is_some()
            || node.has_class("current")
            || node.has_class("active")
            || node.has_class("selected");
        if marked {
            found.current = Some(number);
        }
        let is_link = node
            .node_name()
            .is_some_and(|n| n.eq_ignore_ascii_case("a"));
        match node.attr("href") {
            Some(href) if is_link => {
                linked += 1;
                // A link to the page itself is no evidence of other pages.
                if is_own_address(page_url, &href) {
                    to_itself += 1;
                } else if same_article(page_url, &href) {
                    found.same_article += 1;
                }
                if is_own_address(own_url, &href) {
                    own.push(number);
                }
            }
            _ => unlinked.push(number),
        }
    });
    found.listed.dedup();
    if found.current.is_none() && unlinked.len() == 1 {
        found.current = Some(unlinked[0]);
    }
    own.dedup();
    // Only where every number leads to a page of this article (not a listing's stories).
    let all_this_article = found.same_article > 0 && found.same_article + to_itself == linked;
    if found.current.is_none() && unlinked.is_empty() && own.len() == 1 && all_this_article {
        found.current = Some(own[0]);
    }
    found
}

/// True when `href` is the page's own address (but for a fragment).
fn is_own_address(page_url: Option<&url::Url>, href: &str) -> bool {
    let Some(base) = page_url else {
        return false;
    };
    let Ok(mut target) = base.join(href) else {
        return false;
    };
    let mut base = base.clone();
    target.set_fragment(None);
    base.set_fragment(None);
    target == base
}

/// True when `href` leads to a page of the same article: the same path, or the path with a
/// page part (`/2`, `-2.html`, `?page=2`).
fn same_article(page_url: Option<&url::Url>, href: &str) -> bool {
    let stem = |path: &str| {
        let path = path.trim_end_matches('/');
        let last = path.rsplit('/').next().unwrap_or("");
        let last = last.split('.').next().unwrap_or(last);
        let base = last.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_');
        if base.is_empty() {
            path.rsplit_once('/')
                .map(|(p, _)| p.to_string())
                .unwrap_or_default()
        } else {
            format!(
                "{}/{base}",
                path.rsplit_once('/').map(|(p, _)| p).unwrap_or("")
            )
        }
    };
    // The query but for what names the page (`?id=77&page=2`): another id is another story.
    let query = |url: &url::Url| {
        let mut pairs = super::super::stitch::article_query(url);
        pairs.sort();
        pairs
    };
    match page_url {
        Some(base) => match base.join(href) {
            Ok(target) => {
                target.host() == base.host()
                    && stem(target.path()) == stem(base.path())
                    && query(&target) == query(base)
            }
            Err(_) => false,
        },
        // Without the page's address, a link within the site that only changes a page number.
        None => href.starts_with('?') || href.contains("page=") || href.starts_with('#'),
    }
}

fn visit_numbers(node: &NodeRef, found: &mut dyn FnMut(&NodeRef, u32)) {
    for child in node.element_children() {
        let text = clean(&child.text());
        match text.parse::<u32>() {
            Ok(n) if child.element_children().is_empty() => found(&child, n),
            _ => visit_numbers(&child, found),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(html: &str, url: Option<&str>) -> (Page, Option<String>) {
        let mut page = Page::default();
        let url = url.map(|u| url::Url::parse(u).unwrap());
        let warning = read(&Document::from(html), url.as_ref(), url.as_ref(), &mut page);
        (page, warning)
    }

    #[test]
    fn an_article_s_page_bar_gives_its_pages() {
        let (page, warning) = bar(
            "<div class=pagination><a href=\"story.html\">1</a><span class=current>2</span><a href=\"story-3.html\">3</a></div>",
            Some("https://example.org/news/story-2.html"),
        );
        assert_eq!(
            (page.pages.listed, page.pages.page, warning),
            (vec![1, 2, 3], Some(2), None)
        );
    }

    #[test]
    fn the_bar_is_the_innermost_element_named_for_pages_not_a_page_wrapper_around_the_text() {
        let (page, warning) = bar(
            "<body class=\"article-page\"><div class=\"page-header\"><h1>The state of the bridge</h1></div>\
             <table><tr><td>2000</td><td>11</td></tr>\
             <tr><td>2010</td><td>26</td></tr></table><p>A note<sup>1</sup>.</p>\
             <nav class=\"pagination\"><span aria-current=\"page\">1</span>\
             <a href=\"?page=2\">2</a><a href=\"?page=3\">3</a></nav></body>",
            Some("https://example.org/story"),
        );
        assert_eq!(
            (page.pages.listed, page.pages.page, warning),
            (vec![1, 2, 3], Some(1), None)
        );
    }

    #[test]
    fn a_wrapper_named_page_around_the_whole_article_is_no_page_bar_whatever_numbers_it_holds() {
        let prose = "The cranes of Pier 9 lifted boxes for forty years. ".repeat(8);
        let (page, warning) = bar(
            &format!(
                "<div id=\"page\" class=\"site\"><article><h1>The last cranes</h1><p>{prose}</p>\
                 <table><tr><td>1980s</td><td>38</td></tr><tr><td>1990s</td><td>61</td></tr>\
                 <tr><td>2010s</td><td>102</td></tr></table><p>Area: 5.1 km<sup>2</sup>.</p>\
                 </article></div>"
            ),
            Some("https://example.org/2024/03/cranes/"),
        );
        assert_eq!(
            (page.pages.listed, page.pages.page, warning),
            (vec![], None, None)
        );
    }

    #[test]
    fn a_bar_that_links_every_number_marks_this_page_by_its_own_address() {
        let html = "<div id=\"div_currpage\"><a href=\"http://news.example/c_123.htm\">1</a> \
                    <a href=\"http://news.example/c_123_2.htm\">2</a> \
                    <a href=\"http://news.example/c_123_2.htm\">下一页</a></div>";
        for (url, current) in [
            ("http://news.example/c_123.htm", Some(1)),
            ("http://news.example/c_123_2.htm#top", Some(2)),
            ("http://news.example/c_124.htm", None),
        ] {
            let (page, warning) = bar(html, Some(url));
            assert_eq!(page.pages.page, current, "{url} {warning:?}");
        }
        let (page, _) = bar(html, None);
        assert_eq!(page.pages.page, None);
        // A canonical address (page 1's, on every page) marks nothing: only the address
        // the capture was fetched from does.
        let canonical = url::Url::parse("http://news.example/c_123.htm").unwrap();
        let mut page = Page::default();
        read(&Document::from(html), Some(&canonical), None, &mut page);
        assert_eq!(page.pages.page, None);
        // A listing's bar of other stories (`?id=75` … `?id=78`) is no page bar of this one.
        let listing = "<div class=\"pages\"><a href=\"story.php?id=75\">1</a> \
                       <a href=\"story.php?id=76\">2</a> <a href=\"story.php?id=77\">3</a> \
                       <a href=\"story.php?id=78\">4</a></div>";
        let (page, _) = bar(listing, Some("https://news.example/story.php?id=77"));
        assert_eq!((page.pages.page, page.pages.listed.len()), (None, 0));
    }

    #[test]
    fn stray_numbers_are_not_a_page_bar() {
        for (html, url) in [
            (
                "<ul class=pagination><li><a href=\"/archive/0\">0</a></li><li><a href=\"/archive/1\">1</a></li><li><a href=\"/archive/2017\">2017</a></li></ul>",
                Some("https://example.org/news/story.html"),
            ),
            (
                "<nav class=pager><a href=\"/list?p=1\">1</a> … <a href=\"/list?p=10\">10</a> <a href=\"/list?p=941\">941</a></nav>",
                Some("https://example.org/news/story.html"),
            ),
            (
                "<div class=paging><a href=\"https://other.example/a\">1</a><a href=\"https://other.example/b\">2</a></div>",
                Some("https://example.org/news/story.html"),
            ),
        ] {
            let (page, warning) = bar(html, url);
            assert!(page.pages.listed.is_empty() && page.pages.page.is_none(), "{html}");
            assert!(warning.is_some_and(|w| w.contains("left out")), "{html}");
        }
    }
}
