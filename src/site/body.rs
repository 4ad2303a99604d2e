//! An article's body as the web edition shows it: the body dialect ([`crate::model::body`])
//! rendered to HTML, split into the pages its captures had (the `<!-- page N: … -->` marks an
//! import leaves), headings renumbered so they follow the page's title in order, footnotes
//! given ids of their own, images pointed at the site's copies, links inside the issue pointed
//! at its pages by the rule every edition follows ([`crate::export::links`]), and everything
//! passed through the sanitizer. The plain text for the search index comes from the same
//! parser.

use crate::export::epub::caption_xhtml;
use crate::export::links::web_link;
use crate::export::sanitize::{clean_html, clean_html_relative, ID_PREFIX};
use crate::model::body::parser;
use crate::model::body::percent_decode;
use crate::model::{Image, ImageListings};
use dom_query::Document;
use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Tag, TagEnd};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// One page of a body, as its capture had it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyPage {
    /// The page's number in the original, when the body marks it.
    pub label: Option<u32>,
    /// Sanitized HTML.
    pub html: String,
}

/// A body rendered for one page of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// The pages, in order; one page for a body without page marks.
    pub pages: Vec<BodyPage>,
    /// The images the body shows, by their path in the source folder.
    pub shown: Vec<String>,
    /// Every file of the version the body shows or links to (its images, and those its raw
    /// HTML and links name), by path: the site must carry each.
    pub linked: BTreeSet<String>,
    /// The targets of the links that lead nowhere on the site (their text is kept), each once,
    /// in order.
    pub unkept: Vec<String>,
}

/// A URL the body gives, as the page can use it: `None` for one that leads nowhere.
pub type Urls<'a> = &'a (dyn Fn(&str) -> Option<String> + Sync);

/// True when `html` may hold an attribute with a URL (the sanitizer is set up for relative
/// URLs only then: most pages of text have none).
fn has_url(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    ["href", "src", "cite"]
        .iter()
        .any(|name| lower.contains(name))
}

/// Sanitized HTML after a URL was removed, made valid again: a link that lost its URL keeps
/// its text but not the `rel` only a link may have, and an image that lost its source is
/// named by its alt text, as a Markdown image the site does not carry is.
fn unlinked(html: &str) -> String {
    let document = Document::fragment(html);
    for link in document.select("a:not([href])").nodes() {
        link.remove_attr("rel");
    }
    for image in document.select("img:not([src])").nodes() {
        let alt = image.attr("alt").unwrap_or_default();
        let note = match alt.trim().is_empty() {
            true => "[Image not shown]".to_string(),
            false => format!("[Image not shown: {}]", escape(alt.trim())),
        };
        image.replace_with_html(format!("<span class=\"note\">{note}</span>"));
    }
    document
        .root()
        .first_child()
        .map_or_else(String::new, |root| root.inner_html().to_string())
}

/// What a page can use of a URL the body gives (in Markdown or raw HTML): one relative to the
/// source folder means nothing on the site, so it becomes the page of the place in the issue
/// it leads to (when `link` gives one), the site's copy of that file (when `image` gives one),
/// or is removed; the URLs the renderer made (its images, its ids' fragments) are kept.
struct Relative<'a> {
    image: Urls<'a>,
    link: Urls<'a>,
    made: BTreeSet<String>,
    linked: Mutex<BTreeSet<String>>,
    /// Set when a URL was removed: see [`unlinked`].
    removed: AtomicBool,
}

impl Relative<'_> {
    fn resolve(&self, url: &str) -> Option<String> {
        let Some((found, file)) = self.find(url) else {
            self.removed.store(true, Ordering::Relaxed);
            return None;
        };
        if let Some(path) = file {
            self.linked.lock().expect("not poisoned").insert(path);
        }
        Some(found)
    }

    /// Where a relative `url` leads on the site, with the file of the version it names.
    fn find(&self, url: &str) -> Option<(String, Option<String>)> {
        let own = url
            .strip_prefix('#')
            .is_some_and(|f| f.starts_with(ID_PREFIX));
        if own || self.made.contains(url) {
            return Some((url.to_string(), None));
        }
        if let Some(page) = (self.link)(url) {
            return Some((page, None));
        }
        let path = percent_decode(url.split(['#', '?']).next().unwrap_or_default());
        let found = (self.image)(&path)?;
        Some((found, Some(path)))
    }

    /// The `hrefs` that lead nowhere on the site, each once.
    fn unkept(&self, hrefs: Vec<String>) -> Vec<String> {
        let mut unkept: Vec<String> = Vec::new();
        for href in hrefs {
            let nowhere = web_link(href.trim()).is_none() && self.find(href.trim()).is_none();
            if nowhere && !unkept.contains(&href) {
                unkept.push(href);
            }
        }
        unkept
    }
}

/// The targets of the links an event of a body gives: a Markdown link's, or those of the
/// `<a href>` of raw HTML.
fn link_targets(event: &Event, hrefs: &mut Vec<String>) {
    match event {
        Event::Start(Tag::Link { dest_url, .. }) => hrefs.push(dest_url.to_string()),
        Event::Html(html) | Event::InlineHtml(html) if html.contains("href") => {
            let document = Document::fragment(html.as_ref());
            for link in document.select("a[href]").nodes() {
                hrefs.extend(link.attr("href").map(|href| href.to_string()));
            }
        }
        _ => {}
    }
}

/// Whether raw HTML is one tag of an element that cannot stand in a heading.
fn is_block_tag(html: &str) -> bool {
    const BLOCKS: [&str; 20] = [
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "blockquote",
        "p",
        "pre",
        "div",
        "aside",
        "figure",
    ];
    let name: String = html
        .trim()
        .trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    html.trim_start().starts_with('<') && BLOCKS.contains(&name.to_ascii_lowercase().as_str())
}

/// The id of a body's `n`-th heading (from 1) on its pages.
pub fn heading_id(n: usize) -> String {
    format!("{ID_PREFIX}h-{n}")
}

/// How [`render`] splits a body into pages, found without rendering it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Each page's number in the original, when the body marks it.
    pub labels: Vec<Option<u32>>,
    /// The page (an index into `labels`) of each heading, in order.
    pub headings: Vec<usize>,
}

/// The pages of `markdown` as [`render`] makes them, and the page of each of its headings.
pub fn layout(markdown: &str) -> Layout {
    // Each page's label, and whether it holds nothing yet.
    let mut pages: Vec<(Option<u32>, bool)> = vec![(None, true)];
    let mut headings = Vec::new();
    for event in parser(markdown) {
        let index = pages.len() - 1;
        let page = &mut pages[index];
        match &event {
            Event::Html(text) | Event::InlineHtml(text) if page_mark(text).is_some() => {
                match page.1 {
                    true => page.0 = page_mark(text),
                    false => pages.push((page_mark(text), true)),
                }
            }
            event => {
                if matches!(event, Event::Start(Tag::Heading { .. })) {
                    headings.push(index);
                }
                // An HTML block's bounds write nothing (see `Renderer::push`).
                let bounds = matches!(
                    event,
                    Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock)
                );
                page.1 &= bounds || is_blank(event);
            }
        }
    }
    // A first page with neither a number nor text is none (a heading is text: none is on it).
    if pages.len() > 1 && pages[0] == (None, true) {
        pages.remove(0);
        headings.iter_mut().for_each(|page| *page -= 1);
    }
    Layout {
        labels: pages.into_iter().map(|(label, _)| label).collect(),
        headings,
    }
}

/// The page number of a page mark (`<!-- page 2: sources/x.txt -->`), if `html` is one.
fn page_mark(html: &str) -> Option<u32> {
    let rest = html.trim().strip_prefix("<!-- page ")?;
    let (number, _) = rest.split_once(':')?;
    number.trim().parse().ok()
}

/// Renders `markdown`. `image` gives the site URL (relative to the page) of an image the
/// version holds, by its path in the source folder, or `None` for an image the site does not
/// carry (a remote one, or one no browser shows), which is named with a link instead. `link`
/// gives the site URL of the place in the issue a link leads to (see
/// [`crate::export::links`]). Other relative URLs (raw HTML's, links') are pointed the same
/// way, or removed and named in [`Body::unkept`] (see [`Relative`]).
/// `listed` is what the issue's metadata says of the article's images: one alone in its
/// paragraph that the metadata captions or credits becomes a figure with them, as in the PDF
/// and EPUB editions.
pub fn render(markdown: &str, image: Urls, link: Urls, listed: &[Image]) -> Body {
    let mut renderer = Renderer::new(markdown);
    let mut listings = ImageListings::new(listed);
    let mut pages: Vec<(Option<u32>, Vec<Event>)> = vec![(None, Vec::new())];
    let mut shown = Vec::new();
    let mut made = BTreeSet::new();
    let mut hrefs = Vec::new();
    for event in parser(markdown) {
        let page = &mut pages.last_mut().expect("one page at least").1;
        if let Some(skipped) = &mut renderer.skipped {
            // An image not carried: its alt text gathered up to its end, then named.
            match event {
                Event::Start(Tag::Image { .. }) => skipped.depth += 1,
                Event::End(TagEnd::Image) if skipped.depth > 0 => skipped.depth -= 1,
                Event::End(TagEnd::Image) => {
                    page.push(Event::Html(
                        missing_image(&skipped.url, &skipped.alt).into(),
                    ));
                    renderer.skipped = None;
                }
                Event::Text(text) | Event::Code(text) => skipped.alt.push_str(&text),
                _ => {}
            }
            continue;
        }
        link_targets(&event, &mut hrefs);
        match event {
            Event::Html(text) | Event::InlineHtml(text) if page_mark(&text).is_some() => {
                let label = page_mark(&text);
                renderer.figure = Figure::default();
                if page.iter().all(is_blank) {
                    pages.last_mut().expect("one page at least").0 = label;
                } else {
                    pages.push((label, Vec::new()));
                }
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let source = percent_decode(&dest_url);
                match image(&source) {
                    Some(url) => {
                        let listing = listings.next(&source, "");
                        renderer.figure.image(page.len(), listing);
                        shown.push(source);
                        made.insert(url.clone());
                        page.push(Event::Start(Tag::Image {
                            link_type: pulldown_cmark::LinkType::Inline,
                            dest_url: url.into(),
                            title,
                            id: CowStr::Borrowed(""),
                        }));
                    }
                    None => {
                        renderer.skipped = Some(Skipped {
                            depth: 0,
                            url: dest_url.to_string(),
                            alt: String::new(),
                        });
                    }
                }
            }
            Event::Start(Tag::Paragraph) => {
                renderer.figure = Figure {
                    paragraph: Some(page.len()),
                    ..Figure::default()
                };
                page.push(Event::Start(Tag::Paragraph));
                renderer.note_label(page);
            }
            Event::End(TagEnd::Paragraph) => {
                let figure = std::mem::take(&mut renderer.figure);
                if !figure.close(page) {
                    page.push(Event::End(TagEnd::Paragraph));
                }
            }
            other => renderer.push(other, page),
        }
    }
    let relative = Relative {
        image,
        link,
        made,
        linked: Mutex::new(shown.iter().cloned().collect()),
        removed: AtomicBool::new(false),
    };
    let resolve = |url: &str| relative.resolve(url);
    let pages = pages
        .into_iter()
        .filter(|(label, events)| label.is_some() || !events.iter().all(is_blank))
        .map(|(label, events)| {
            let mut out = String::new();
            html::push_html(&mut out, events.into_iter());
            BodyPage {
                label,
                html: match has_url(&out) {
                    true => {
                        relative.removed.store(false, Ordering::Relaxed);
                        let html = clean_html_relative(&out, &resolve);
                        match relative.removed.load(Ordering::Relaxed) {
                            true => unlinked(&html),
                            false => html,
                        }
                    }
                    false => clean_html(&out),
                },
            }
        })
        .collect::<Vec<_>>();
    let pages = if pages.is_empty() {
        vec![BodyPage {
            label: None,
            html: String::new(),
        }]
    } else {
        pages
    };
    let unkept = relative.unkept(hrefs);
    let linked = relative.linked.into_inner().expect("not poisoned");
    Body {
        pages,
        shown,
        linked,
        unkept,
    }
}

/// The paragraph being read, and the image in it the metadata captions or credits: alone in
/// its paragraph, that image becomes a figure.
#[derive(Default)]
struct Figure {
    /// Where the paragraph starts in its page's events.
    paragraph: Option<usize>,
    /// Where the captioned image starts, and its caption's HTML.
    captioned: Option<(usize, String)>,
    /// Images met in the paragraph.
    images: usize,
}

impl Figure {
    /// An image shown from `source`, starting at `at` in the page's events.
    fn image(&mut self, at: usize, listing: Option<&Image>) {
        self.images += 1;
        self.captioned = listing.and_then(caption_xhtml).map(|caption| (at, caption));
    }

    /// Makes the paragraph that ends a figure when it holds nothing but the captioned image
    /// (which ends `page`); returns whether it did.
    fn close(self, page: &mut Vec<Event>) -> bool {
        let (Some(start), Some((at, caption))) = (self.paragraph, self.captioned) else {
            return false;
        };
        let alone = self.images == 1
            && at == start + 1
            && matches!(page.last(), Some(Event::End(TagEnd::Image)));
        if alone {
            page[start] = Event::Html("<figure>".into());
            page.push(Event::Html(
                format!("<figcaption>{caption}</figcaption></figure>\n").into(),
            ));
        }
        alone
    }
}

/// An image the site does not carry, named where it stood.
struct Skipped {
    /// Images nested in its alt text.
    depth: usize,
    url: String,
    alt: String,
}

/// The note that stands for an image the site does not carry: its alt text, and a link to a
/// remote one, the path of one in the issue; another URL (`data:`...) is not repeated.
fn missing_image(url: &str, alt: &str) -> String {
    let alt = match alt.trim() {
        "" => String::new(),
        alt => format!("{} \u{2014} ", escape(alt)),
    };
    if url.starts_with("http://") || url.starts_with("https://") {
        let url = escape(url);
        format!(
            "<span class=\"note\">[Image not in the archive: {alt}<a href=\"{url}\">{url}</a>]</span>"
        )
    } else if !url.contains(':') {
        format!(
            "<span class=\"note\">[Image not shown: {alt}{}]</span>",
            escape(url)
        )
    } else {
        let alt = alt.trim_end_matches(" \u{2014} ");
        let alt = if alt.is_empty() {
            String::new()
        } else {
            format!(": {alt}")
        };
        format!("<span class=\"note\">[Image not shown{alt}]</span>")
    }
}

fn is_blank(event: &Event) -> bool {
    matches!(event, Event::SoftBreak | Event::HardBreak)
        || matches!(event, Event::Text(t) if t.trim().is_empty())
}

/// What the rendering keeps track of across events.
struct Renderer {
    /// The level of the last heading written (the page's title is 1).
    last_level: u8,
    headings: usize,
    /// Footnote labels in the order first met, numbered from 1.
    footnotes: BTreeMap<String, usize>,
    /// The image being skipped (named instead of shown).
    skipped: Option<Skipped>,
    figure: Figure,
    /// The number of the note just begun, until it is written.
    note_label: Option<usize>,
    /// Inside a heading, which holds text only.
    in_heading: bool,
}

impl Renderer {
    fn new(markdown: &str) -> Self {
        // Numbered in the order the references and definitions first appear, as the reader
        // meets them.
        let mut footnotes = BTreeMap::new();
        for event in parser(markdown) {
            if let Event::FootnoteReference(label) | Event::Start(Tag::FootnoteDefinition(label)) =
                event
            {
                let next = footnotes.len() + 1;
                footnotes.entry(label.to_string()).or_insert(next);
            }
        }
        Renderer {
            last_level: 1,
            headings: 0,
            footnotes,
            skipped: None,
            figure: Figure::default(),
            note_label: None,
            in_heading: false,
        }
    }

    fn footnote(&self, label: &str) -> usize {
        self.footnotes.get(label).copied().unwrap_or(0)
    }

    /// Writes the number of the note just begun, if any: at the start of its first paragraph
    /// (`page` ends with that paragraph's start), or before whatever else the note opens with,
    /// so that it reads as a printed note does.
    fn note_label(&mut self, page: &mut Vec<Event>) {
        if let Some(n) = self.note_label.take() {
            let label = format!("<sup class=\"footnote-definition-label\">{n}</sup> ");
            page.push(Event::Html(label.into()));
        }
    }

    fn push<'a>(&mut self, event: Event<'a>, page: &mut Vec<Event<'a>>) {
        if !matches!(event, Event::Start(Tag::FootnoteDefinition(_))) {
            self.note_label(page);
        }
        let html = match event {
            Event::Start(Tag::Heading { level, .. }) => {
                // A body's `#` is below the title; no level is skipped on the way down.
                let wanted = heading_number(level).max(2);
                let level = wanted.min(self.last_level + 1);
                self.last_level = level;
                self.headings += 1;
                self.in_heading = true;
                format!("<h{level} id=\"{}\">", heading_id(self.headings))
            }
            Event::End(TagEnd::Heading(_)) => {
                self.in_heading = false;
                format!("</h{}>\n", self.last_level)
            }
            // A heading holds text only: a list or table in it keeps its words, not its tags.
            Event::InlineHtml(tag) if self.in_heading && is_block_tag(&tag) => " ".to_string(),
            Event::FootnoteReference(label) => {
                let n = self.footnote(&label);
                // Two calls in a row are kept apart (`3,1`, never `31`).
                let after_call =
                    matches!(page.last(), Some(Event::Html(h)) if h.contains("footnote-reference"));
                let comma = if after_call { "<sup>,</sup>" } else { "" };
                format!(
                    "{comma}<sup class=\"footnote-reference\"><a href=\"#{ID_PREFIX}fn-{n}\">{n}</a></sup>"
                )
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let n = self.footnote(&label);
                self.note_label = Some(n);
                format!("<div class=\"footnote-definition\" id=\"{ID_PREFIX}fn-{n}\">\n")
            }
            Event::End(TagEnd::FootnoteDefinition) => "</div>\n".to_string(),
            // An HTML block's own bounds write nothing; its text is what counts.
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => return,
            other => {
                page.push(other);
                return;
            }
        };
        page.push(Event::Html(html.into()));
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Text for HTML: `&`, `<`, `>` and `"` escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_contains_all;

    fn no_images(_: &str) -> Option<String> {
        None
    }

    /// `markdown` rendered with no stored image, no link the issue resolves and no image
    /// metadata.
    fn bare(markdown: &str) -> Body {
        render(markdown, &no_images, &no_images, &[])
    }

    /// The HTML of `body`'s first page, which must hold every one of `wanted`.
    fn first_page_holding<'a>(body: &'a Body, wanted: &[&str]) -> &'a str {
        let html = &body.pages[0].html;
        assert_contains_all(html, wanted);
        html
    }

    #[test]
    fn page_marks_split_the_body_into_its_pages() {
        let markdown = "<!-- page 1: sources/a.txt -->\n\nOne.\n\n<!-- page 2: sources/b.txt -->\n\nTwo.\n\n<!-- page 3: sources/c.txt -->\n\nThree.\n";
        let body = bare(markdown);
        let labels: Vec<Option<u32>> = body.pages.iter().map(|p| p.label).collect();
        assert_eq!(labels, [Some(1), Some(2), Some(3)]);
        assert_eq!(body.pages[1].html.trim(), "<p>Two.</p>");
        let single = bare("Just one page.\n");
        assert_eq!(single.pages.len(), 1);
        assert_eq!(single.pages[0].label, None);
    }

    #[test]
    fn the_layout_finds_the_pages_and_the_headings_render_makes() {
        for markdown in [
            "## A\n\nText.\n\n## B\n",
            "<!-- page 3: sources/a.txt -->\n\n## A\n\n<!-- page 4: sources/b.txt -->\n\nText.\n\n## B\n\n## C\n",
            "Lead.\n\n<!-- page 2: sources/b.txt -->\n\n## A\n",
            "",
        ] {
            let layout = layout(markdown);
            let body = bare(markdown);
            let labels: Vec<Option<u32>> = body.pages.iter().map(|p| p.label).collect();
            assert_eq!(layout.labels, labels, "{markdown}");
            for (n, page) in layout.headings.iter().enumerate() {
                let id = format!("id=\"{}\"", heading_id(n + 1));
                assert!(body.pages[*page].html.contains(&id), "{markdown}: {id}");
            }
        }
        assert_eq!(
            layout("<!-- page 3: s -->\n\n## A\n\n<!-- page 4: s -->\n\n## B\n").headings,
            [0, 1]
        );
        // A heading written as raw HTML is none the link rule counts, nor the site numbers.
        let raw = "<h2>Raw</h2>\n\n## A\n";
        assert_eq!(layout(raw).headings, [0]);
        assert!(bare(raw).pages[0].html.contains("<h2 id=\"body-h-1\">A"));
    }

    #[test]
    fn headings_follow_the_title_without_skipping_a_level() {
        let body = bare("# A\n\n#### B\n\n## C\n\n###### D\n");
        first_page_holding(
            &body,
            &[
                "<h2 id=\"body-h-1\">A</h2>",
                "<h3 id=\"body-h-2\">B</h3>",
                "<h2 id=\"body-h-3\">C</h2>",
                "<h3 id=\"body-h-4\">D</h3>",
            ],
        );
    }

    /// `markdown` rendered with one stored image (`asset`), which the site copies to `copy`.
    fn with_image(markdown: &str, (asset, copy): (&str, &str)) -> Body {
        render(
            markdown,
            &|path| (path == asset).then(|| copy.to_string()),
            &no_images,
            &[],
        )
    }

    #[test]
    fn footnotes_tables_and_images_are_rendered_and_hostile_html_is_not() {
        let markdown = "Text[^note] and ![A harbour](assets/h%20a.png) ![Far](https://example.org/x.png)\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n<script>alert(1)</script>\n\n[go](javascript:alert(2))\n\n[^note]: The note.\n";
        let body = with_image(markdown, ("assets/h a.png", "../media/abc-h_a.png"));
        let html = first_page_holding(
            &body,
            &[
                "<a href=\"#body-fn-1\"",
                "id=\"body-fn-1\"",
                "<img src=\"../media/abc-h_a.png\" alt=\"A harbour\">",
                // Its alt text is kept with it.
                "[Image not in the archive: Far \u{2014} <a href=\"https://example.org/x.png\"",
                "<table>",
                // A column set right stays right.
                "<td style=\"text-align:right\">2</td>",
            ],
        );
        assert!(
            !html.contains("<script") && !html.contains("javascript:"),
            "{html}"
        );
        assert_eq!(body.shown, ["assets/h a.png"]);
    }

    #[test]
    fn one_file_shown_twice_with_a_caption_each_is_captioned_each_time_in_order() {
        let listing = |caption: &str| Image {
            file: "assets/crane.png".into(),
            alt: None,
            caption: Some(caption.into()),
            credit: None,
        };
        let listed = [
            listing("Crane 14 lifts its last box."),
            listing("The cab, February 2024."),
        ];
        let body = render(
            "![Crane 14](assets/crane.png)\n\nText.\n\n![The cab](assets/crane.png)\n",
            &|path| Some(format!("../media/{}", &path[7..])),
            &no_images,
            &listed,
        );
        first_page_holding(
            &body,
            &[
                "alt=\"Crane 14\"><figcaption>Crane 14 lifts its last box.</figcaption>",
                "alt=\"The cab\"><figcaption>The cab, February 2024.</figcaption>",
            ],
        );
    }

    #[test]
    fn an_image_alone_in_its_paragraph_is_a_figure_with_the_metadatas_caption_and_credit() {
        let listed = [Image {
            file: "assets/a.png".into(),
            alt: None,
            caption: Some("The Skerry light at dusk".into()),
            credit: Some("Photo: A. & B. Keeper".into()),
        }];
        let markdown = "Before.\n\n![The light](assets/a.png)\n\nIn text ![x](assets/a.png) and more.\n\n![b](assets/b.png)\n";
        let body = render(
            markdown,
            &|path| Some(format!("../media/{}", &path[7..])),
            &no_images,
            &listed,
        );
        let html = first_page_holding(
            &body,
            &[
                "<figure><img src=\"../media/a.png\" alt=\"The light\"><figcaption>The Skerry light at dusk <span class=\"credit\">Photo: A. &amp; B. Keeper</span></figcaption></figure>",
                // Inside running text an image stays inline, without a caption; an image the
                // metadata says nothing of stays a paragraph.
                "<p>In text <img src=\"../media/a.png\" alt=\"x\"> and more.</p>",
                "<p><img src=\"../media/b.png\" alt=\"b\"></p>",
            ],
        );
        assert_eq!(html.matches("<figure>").count(), 1, "{html}");
    }

    #[test]
    fn two_note_calls_in_a_row_are_kept_apart() {
        let body = bare("Found.[^a][^b]\n\n[^a]: One.\n\n[^b]: Two.\n");
        first_page_holding(
            &body,
            &[">1</a></sup><sup>,</sup><sup class=\"footnote-reference\">"],
        );
    }

    #[test]
    fn a_notes_number_starts_its_first_paragraph_as_in_print() {
        let body = bare(
            "Text[^a] and more[^b].\n\n[^a]: The note.\n\n    Its second paragraph.\n\n[^b]: - A list.\n",
        );
        first_page_holding(
            &body,
            &[
                "<div class=\"footnote-definition\" id=\"body-fn-1\">\n<p><sup class=\"footnote-definition-label\">1</sup> The note.</p>\n<p>Its second paragraph.</p>",
                // A note that opens with something else than a paragraph: the number first.
                "<div class=\"footnote-definition\" id=\"body-fn-2\">\n<sup class=\"footnote-definition-label\">2</sup> \n<ul>",
            ],
        );
    }

    #[test]
    fn relative_urls_become_the_sites_copies_or_go_and_fragments_stay() {
        let markdown = "<p><img src=\"assets/a.png\" alt=\"A\"><a href=\"x.html\">x</a><img src=\"b.png\" alt=\"B &amp; c\"></p>\n\n[a](assets/a.png) [b](#body-fn-1) [c](https://example.org/c)\n";
        let body = with_image(markdown, ("assets/a.png", "../media/1-a.png"));
        first_page_holding(
            &body,
            &[
                "<img src=\"../media/1-a.png\" alt=\"A\">",
                "<a>x</a>",
                "<a href=\"../media/1-a.png\" rel=\"noopener noreferrer\">a</a>",
                "<a href=\"#body-fn-1\"",
                "<a href=\"https://example.org/c\"",
                "<span class=\"note\">[Image not shown: B &amp; c]</span>",
            ],
        );
        assert!(body.shown.is_empty());
        assert_eq!(body.linked, BTreeSet::from(["assets/a.png".to_string()]));
        // The link that lost its URL is named; the image is named where it stood.
        assert_eq!(body.unkept, ["x.html"]);
    }

    #[test]
    fn links_lead_to_the_pages_the_issue_has_and_the_others_are_named() {
        let markdown = "[a](#the-part) [b](data-notes.xhtml) [c](#nowhere) [d](#body-fn-1) [e](mailto:x@example.org)\n\n<a href=\"notes.md\">f</a> <a href=\"gone.html\">g</a> [h](#nowhere)\n";
        let link = |href: &str| match href {
            "#the-part" => Some("#body-h-2".to_string()),
            "data-notes.xhtml" | "notes.md" => Some("../notes/index.html".to_string()),
            _ => None,
        };
        let body = render(markdown, &no_images, &link, &[]);
        first_page_holding(
            &body,
            &[
                "<a href=\"#body-h-2\" rel=\"noopener noreferrer\">a</a>",
                "<a href=\"../notes/index.html\" rel=\"noopener noreferrer\">b</a>",
                "<a>c</a>",
                "<a href=\"#body-fn-1\"",
                "<a href=\"mailto:x@example.org\"",
                "<a href=\"../notes/index.html\" rel=\"noopener noreferrer\">f</a>",
                "<a>g</a>",
            ],
        );
        assert_eq!(body.unkept, ["#nowhere", "gone.html"]);
        assert!(body.linked.is_empty());
    }
}
