//! An article body as EPUB XHTML, every construct of the body dialect rendered: headings with
//! ids for the nav and their inline markup, links pointed where they lead in the book (see
//! `links`; one that leads nowhere keeps its text and is named to the caller), tables,
//! footnotes as EPUB footnotes (`noteref` links to `footnote` asides), strikethrough, sub- and
//! superscripts, definition lists, TeX maths as its source in `code`, and raw HTML (tables,
//! MathML, inline markup, pull quotes) made well-formed XHTML of known elements.
//! Images, in Markdown or raw HTML, point at the book's copies, each described (its alt text,
//! else the caption or alt text the issue's metadata gives it, else its title, else an honest
//! word that the source gave none); an image the book does not carry is named instead, with
//! why (the archive does not hold it, or its format is not one EPUB readers must show). An
//! image the metadata captions or credits is a figure with them when alone in its paragraph,
//! and is followed by them inside running text; one of raw HTML in a `figure` keeps that
//! figure's caption. Headings never skip a level, and every table header cell says what it
//! heads (`scope`).

use super::images::{description, img, Gallery, LeftOut};
use super::{escape, xml_safe};
use crate::model::body::xhtml::HtmlImage;
use crate::model::body::{self, xhtml};
use crate::model::{Image, ImageListings};
use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Tag, TagEnd};
use std::cell::RefCell;
use std::collections::BTreeMap;

/// An article body in XHTML.
pub struct Body {
    pub xhtml: String,
    /// Each heading's id and text, for the nav.
    pub headings: Vec<(String, String)>,
    /// Whether the body holds MathML (the package must say so).
    pub mathml: bool,
    /// The images the body shows (their paths in the source folder), and how many of those
    /// nothing describes.
    pub shown: Vec<String>,
    pub undescribed: usize,
    /// Every image the body shows or names in its place (its address as written, decoded).
    pub placed: Vec<String>,
    /// The targets of the links that lead nowhere in the book (their text is kept), each once.
    pub unkept: Vec<String>,
}

/// An image being read: its address, its title, its alt text so far, and how deep inside it a
/// nested image is.
struct PendingImage {
    /// Its address as the body gives it.
    url: String,
    title: String,
    alt: String,
    depth: usize,
}

/// HTML elements that are written empty: they open nothing in a run of inline HTML.
const VOID: [&str; 6] = ["br", "wbr", "img", "hr", "col", "input"];

/// Where a link leads in the book (`None`: nowhere).
pub type Resolve<'a> = &'a dyn Fn(&str) -> Option<String>;

struct Writer<'i> {
    images: &'i Gallery<'i>,
    link: Resolve<'i>,
    unkept: RefCell<Vec<String>>,
    /// What the issue's metadata says of the article's images (alt text, caption, credit).
    /// (A cell: raw HTML's pictures are written through a shared borrow.)
    listed: RefCell<ImageListings<'i>>,
    events: Vec<Event<'static>>,
    headings: Vec<(String, String)>,
    /// The heading being written: its level, id and plain text so far.
    heading: Option<(HeadingLevel, String, String)>,
    /// The level of the last heading (the article's title is the one `h1`).
    level: usize,
    image: Option<PendingImage>,
    shown: Vec<String>,
    undescribed: usize,
    placed: Vec<String>,
    /// Footnote label → its number, in the order met.
    notes: BTreeMap<String, usize>,
    /// Notes already referenced (the first reference gets the id back-links point to).
    referenced: Vec<usize>,
    /// A raw HTML block being gathered.
    html_block: Option<String>,
    /// Inline HTML being gathered, with its count of open elements.
    inline_html: Option<(String, usize)>,
    /// For each open link, whether it is kept.
    links: Vec<bool>,
    /// The number of the note just opened, until it is written at its first paragraph.
    note_label: Option<usize>,
    /// Where the open paragraph starts in `events`.
    paragraph: Option<usize>,
    /// The last image written with a caption or credit from the metadata: where it is in
    /// `events`, and its caption's XHTML. Alone in its paragraph, it becomes a figure.
    captioned: Option<(usize, String)>,
}

/// Renders `markdown` (the body dialect); `images` says what the book does with the edition's
/// images, `listed` what the issue's metadata says of the article's images, `link` where a
/// link leads.
pub fn body_xhtml<'i>(
    markdown: &str,
    images: &'i Gallery<'i>,
    listed: &[Image],
    link: Resolve<'_>,
) -> Body {
    let mut writer = Writer {
        images,
        link,
        unkept: RefCell::new(Vec::new()),
        listed: RefCell::new(ImageListings::new(listed)),
        events: Vec::new(),
        headings: Vec::new(),
        heading: None,
        level: 1,
        image: None,
        shown: Vec::new(),
        undescribed: 0,
        placed: Vec::new(),
        notes: BTreeMap::new(),
        referenced: Vec::new(),
        html_block: None,
        inline_html: None,
        links: Vec::new(),
        note_label: None,
        paragraph: None,
        captioned: None,
    };
    for event in body::parser(markdown) {
        writer.event(event.into_static());
    }
    writer.flush_inline_html();
    let mut out = String::new();
    html::push_html(&mut out, writer.events.into_iter());
    let xhtml = scope_header_cells(&xml_safe(&out));
    Body {
        mathml: xhtml.contains("<math "),
        xhtml,
        headings: writer.headings,
        shown: writer.shown,
        undescribed: writer.undescribed,
        placed: writer.placed,
        unkept: writer.unkept.into_inner(),
    }
}

/// A heading's id in the book: `h-1` for the first of an article.
pub fn heading_id(n: usize) -> String {
    format!("h-{n}")
}

/// The caption and credit the metadata gives an image, as a figure caption's XHTML (the web
/// edition's figures use it too).
pub(crate) fn caption_xhtml(image: &Image) -> Option<String> {
    let caption = image
        .caption
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let credit = image
        .credit
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    match (caption, credit) {
        (None, None) => None,
        (caption, credit) => {
            let mut parts: Vec<String> = caption.iter().map(|c| escape(c)).collect();
            parts.extend(credit.map(|c| format!("<span class=\"credit\">{}</span>", escape(c))));
            Some(parts.join(" "))
        }
    }
}

/// An image of the body as the book writes it.
struct Picture {
    /// Its path in the source folder (its address, decoded).
    source: String,
    /// Its `img`, or the note that names it.
    html: String,
    /// The caption and credit the metadata gives it.
    caption: Option<String>,
    /// For an image the book carries, whether anything describes it.
    described: Option<bool>,
}

/// The note that stands for an image the book does not carry, with its alt text: why, when the
/// archive holds it (`left_out`), else that the archive does not.
pub(super) fn not_carried(alt: &str, url: &str, left_out: Option<&LeftOut>) -> String {
    let alt = match alt.trim() {
        "" => String::new(),
        alt => format!("{} \u{2014} ", escape(alt)),
    };
    let url = escape(url);
    match left_out {
        Some(left_out) => format!(
            "<span class=\"note\">[Image not in this edition ({}): {alt}{url}]</span>",
            escape(&left_out.note)
        ),
        None => format!("<span class=\"note\">[Image not in the archive: {alt}{url}]</span>"),
    }
}

/// The caption and credit of an image inside running text, after it.
fn inline_caption(caption: &str) -> String {
    format!(" <span class=\"caption\">({caption})</span>")
}

/// A note's number, linking back to its first call, with `after` it.
fn note_label(n: usize, after: &str) -> String {
    format!("<a class=\"note-label\" href=\"#fnref-{n}\">{n}.</a>{after}")
}

impl Writer<'_> {
    fn push_html(&mut self, html: String) {
        self.events.push(Event::Html(CowStr::from(html)));
    }

    /// Where a link leads in the book; one that leads nowhere is noted.
    fn follow(&self, href: &str) -> Option<String> {
        let target = (self.link)(href);
        let mut unkept = self.unkept.borrow_mut();
        if target.is_none() && !unkept.iter().any(|u| u == href) {
            unkept.push(href.to_string());
        }
        target
    }

    /// Raw HTML as the book carries it: through the sanitizer every output shares
    /// ([`crate::export::sanitize`]), then made well-formed XHTML of the book's elements, its
    /// links followed and its pull quotes marked as such.
    fn clean(&mut self, html: &str) -> xhtml::Cleaned {
        let safe = crate::export::sanitize::clean_book_html(html);
        let pictures = RefCell::new(Vec::new());
        let this = &*self;
        let image = |found: &HtmlImage| {
            let picture = this.picture(found.src.trim(), found.alt.unwrap_or_default(), found);
            let html = match (&picture.caption, found.in_figure) {
                (Some(caption), false) => format!("{}{}", picture.html, inline_caption(caption)),
                _ => picture.html.clone(),
            };
            pictures.borrow_mut().push(picture);
            html
        };
        let mut cleaned =
            xhtml::clean_fragment_with_images(&safe, &|href| this.follow(href), &image);
        for picture in pictures.into_inner() {
            self.count(&picture);
        }
        cleaned.xhtml = cleaned.xhtml.replace(
            "<aside class=\"pullquote\">",
            "<aside class=\"pullquote\" epub:type=\"pullquote\" role=\"doc-pullquote\">",
        );
        cleaned
    }

    fn event(&mut self, event: Event<'static>) {
        if let Some((_, _, text)) = &mut self.heading {
            // The heading's plain text, for the nav.
            match &event {
                Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => text.push_str(t),
                Event::SoftBreak | Event::HardBreak => text.push(' '),
                _ => {}
            }
        }
        if self.image.is_some() {
            self.image_event(&event);
            return;
        }
        if self.inline_html.is_some() && self.gather_inline(&event) {
            return;
        }
        if self.note_label.is_some() && !matches!(event, Event::Start(Tag::Paragraph)) {
            // A note that opens with a list, a quote or code: its number stands above it.
            if let Some(n) = self.note_label.take() {
                self.push_html(format!("<p>{}</p>\n", note_label(n, "")));
            }
        }
        match event {
            Event::Start(Tag::HtmlBlock) => self.html_block = Some(String::new()),
            Event::Html(html) if self.html_block.is_some() => {
                if let Some(block) = &mut self.html_block {
                    block.push_str(&html);
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                let block = self.html_block.take().unwrap_or_default();
                let cleaned = self.clean(&block);
                if !cleaned.xhtml.trim().is_empty() {
                    self.push_html(format!("{}\n", cleaned.xhtml.trim()));
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                self.inline_html = Some((String::new(), 0));
                self.gather_inline(&Event::InlineHtml(html));
            }
            Event::Start(Tag::Heading { level, .. }) => {
                // Below the article's title, one level deeper at most than the last heading.
                let level = (level as usize).clamp(2, self.level + 1);
                self.level = level;
                let level = HeadingLevel::try_from(level).unwrap_or(HeadingLevel::H6);
                let id = heading_id(self.headings.len() + 1);
                self.push_html(format!("<{level} id=\"{id}\">"));
                self.heading = Some((level, id, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => self.image(&dest_url, &title),
            Event::InlineMath(tex) => {
                self.push_html(format!("<code class=\"math\">{}</code>", escape(&tex)))
            }
            Event::DisplayMath(tex) => self.push_html(format!(
                "<code class=\"math math-display\">{}</code>",
                escape(&tex)
            )),
            Event::FootnoteReference(label) => self.note_reference(&label),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let n = self.note_number(&label);
                self.push_html(format!(
                    "<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn-{n}\">\n"
                ));
                self.note_label = Some(n);
            }
            Event::End(TagEnd::FootnoteDefinition) => self.push_html("</aside>\n".into()),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                // A link that leads nowhere in the book keeps its text only.
                let target = self.follow(&dest_url);
                self.links.push(target.is_some());
                if let Some(target) = target {
                    self.events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: target.into(),
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Link) => {
                if self.links.pop().unwrap_or(true) {
                    self.events.push(event);
                }
            }
            Event::Start(Tag::Paragraph) => {
                self.paragraph = Some(self.events.len());
                self.events.push(event);
                // A note's number opens its first paragraph, as a printed note's does.
                if let Some(n) = self.note_label.take() {
                    self.push_html(note_label(n, " "));
                }
            }
            Event::End(TagEnd::Paragraph) => self.end_paragraph(event),
            other => self.events.push(other),
        }
    }

    fn end_heading(&mut self) {
        if let Some((level, id, text)) = self.heading.take() {
            self.push_html(format!("</{level}>\n"));
            self.headings.push((id, text));
        }
    }

    fn image(&mut self, dest_url: &str, title: &str) {
        self.image = Some(PendingImage {
            url: dest_url.to_string(),
            title: title.to_string(),
            alt: String::new(),
            depth: 0,
        });
    }

    /// An event inside an image: its alt text gathered, the image written at its end.
    fn image_event(&mut self, event: &Event<'static>) {
        let Some(pending) = &mut self.image else {
            return;
        };
        match event {
            Event::Start(Tag::Image { .. }) => pending.depth += 1,
            Event::End(TagEnd::Image) if pending.depth > 0 => pending.depth -= 1,
            Event::End(TagEnd::Image) => {
                if let Some(pending) = self.image.take() {
                    self.end_image(pending);
                }
            }
            Event::Text(text) | Event::Code(text) => pending.alt.push_str(text),
            Event::SoftBreak | Event::HardBreak => pending.alt.push(' '),
            _ => {}
        }
    }

    fn end_image(&mut self, pending: PendingImage) {
        let title = Some(pending.title.as_str()).filter(|t| !t.is_empty());
        let found = HtmlImage {
            src: &pending.url,
            alt: Some(&pending.alt),
            title,
            in_figure: false,
        };
        let picture = self.picture(&pending.url, pending.alt.trim(), &found);
        self.count(&picture);
        match picture.caption {
            // First in its paragraph: a figure if alone in it (see `end_paragraph`).
            Some(caption) if self.paragraph.is_some_and(|p| p + 1 == self.events.len()) => {
                self.captioned = Some((self.events.len(), caption));
                self.push_html(picture.html);
            }
            Some(caption) => {
                self.push_html(format!("{}{}", picture.html, inline_caption(&caption)))
            }
            None => self.push_html(picture.html),
        }
    }

    /// An image at `url` (as the body writes it) as the book shows it: its copy, described by
    /// `alt`, the metadata or its title, else a note that names it and says why the book
    /// does not carry it; with the caption the metadata gives it.
    fn picture(&self, url: &str, alt: &str, found: &HtmlImage) -> Picture {
        let source = body::percent_decode(url);
        let listed = self.listed.borrow_mut().next(&source, alt);
        let caption = listed.and_then(caption_xhtml);
        let Some(image) = self.images.carried.get(&source) else {
            let html = not_carried(alt, url, self.images.left_out.get(&source));
            return Picture {
                source,
                html,
                caption,
                described: None,
            };
        };
        let from_metadata =
            listed.and_then(|i| description([i.alt.as_deref(), i.caption.as_deref()]));
        let text = description([Some(alt), from_metadata, found.title]);
        let mut html = img(image, text);
        if let Some(title) = found.title.filter(|t| !t.is_empty()) {
            html = html.replacen("<img ", &format!("<img title=\"{}\" ", escape(title)), 1);
        }
        Picture {
            source,
            html,
            caption,
            described: Some(text.is_some()),
        }
    }

    /// Counts an image written: placed, and shown (and perhaps undescribed) when carried.
    fn count(&mut self, picture: &Picture) {
        if !self.placed.contains(&picture.source) {
            self.placed.push(picture.source.clone());
        }
        if let Some(described) = picture.described {
            self.shown.push(picture.source.clone());
            self.undescribed += usize::from(!described);
        }
    }

    /// Ends a paragraph; one that holds only an image the metadata captions or credits becomes
    /// a figure with them, as the PDF edition and the web edition show it. An image that opens
    /// a paragraph of more is followed by them, as one inside running text is.
    fn end_paragraph(&mut self, end: Event<'static>) {
        let start = self.paragraph.take();
        let Some((at, caption)) = self.captioned.take() else {
            match start.is_some_and(|start| self.events.len() == start + 1) {
                // Reopened after a block that ended it, and nothing came after.
                true => drop(self.events.pop()),
                false => self.events.push(end),
            }
            return;
        };
        if start.is_some_and(|start| at == start + 1 && self.events.len() == start + 2) {
            let Some(Event::Html(img)) = self.events.pop() else {
                unreachable!("the image was pushed as HTML");
            };
            self.events.truncate(at - 1);
            self.push_html(format!(
                "<figure>{img}<figcaption>{caption}</figcaption></figure>\n"
            ));
            return;
        }
        self.caption_in_text(at, &caption);
        self.events.push(end);
    }

    /// Follows the image at `at` in `events` with its caption, in running text.
    fn caption_in_text(&mut self, at: usize, caption: &str) {
        if let Some(Event::Html(img)) = self.events.get_mut(at) {
            *img = CowStr::from(format!("{img}{}", inline_caption(caption)));
        }
    }

    fn note_number(&mut self, label: &str) -> usize {
        let next = self.notes.len() + 1;
        *self.notes.entry(label.to_string()).or_insert(next)
    }

    fn note_reference(&mut self, label: &str) {
        // Two calls in a row are kept apart (`3,1`, never `31`).
        let after_call =
            matches!(self.events.last(), Some(Event::Html(h)) if h.contains("doc-noteref"));
        if after_call {
            self.push_html("<sup>,</sup>".into());
        }
        let n = self.note_number(label);
        let id = if self.referenced.contains(&n) {
            String::new()
        } else {
            self.referenced.push(n);
            format!(" id=\"fnref-{n}\"")
        };
        self.push_html(format!(
            "<sup><a epub:type=\"noteref\" role=\"doc-noteref\" href=\"#fn-{n}\"{id}>{n}</a></sup>"
        ));
    }

    /// Adds an inline event to the inline HTML being gathered; returns false (and writes
    /// what was gathered) when the event ends the run.
    fn gather_inline(&mut self, event: &Event<'static>) -> bool {
        let Some((buffer, open)) = &mut self.inline_html else {
            return false;
        };
        match event {
            Event::InlineHtml(html) | Event::Html(html) => {
                buffer.push_str(html);
                *open = (*open + tags_opened(html)).saturating_sub(tags_closed(html));
            }
            Event::Text(text) => buffer.push_str(&escape(text)),
            Event::Code(code) => buffer.push_str(&format!("<code>{}</code>", escape(code))),
            Event::SoftBreak => buffer.push(' '),
            Event::HardBreak => buffer.push_str("<br/>"),
            Event::Start(Tag::Emphasis) => buffer.push_str("<em>"),
            Event::End(TagEnd::Emphasis) => buffer.push_str("</em>"),
            Event::Start(Tag::Strong) => buffer.push_str("<strong>"),
            Event::End(TagEnd::Strong) => buffer.push_str("</strong>"),
            _ => {
                self.flush_inline_html();
                return false;
            }
        }
        if self
            .inline_html
            .as_ref()
            .is_some_and(|(_, open)| *open == 0)
        {
            self.flush_inline_html();
        }
        true
    }

    fn flush_inline_html(&mut self) {
        let Some((buffer, _)) = self.inline_html.take() else {
            return;
        };
        let cleaned = self.clean(&buffer);
        if self.heading.is_some() {
            // A heading holds text only: a block in it keeps its words, not its markup.
            for (block, part) in xhtml::split_blocks(&cleaned.xhtml) {
                self.push_html(if block { xhtml::text_of(&part) } else { part });
            }
            return;
        }
        if self.paragraph.is_none() {
            if !cleaned.xhtml.is_empty() {
                self.push_html(cleaned.xhtml);
            }
            return;
        }
        // A table, list or quote inside a paragraph ends it, as a browser reads it: the
        // paragraph is closed before it and reopened after, all the text kept.
        for (block, part) in xhtml::split_blocks(&cleaned.xhtml) {
            if !block {
                self.push_html(part);
                continue;
            }
            match self.events.last() {
                Some(Event::Start(Tag::Paragraph)) => drop(self.events.pop()),
                _ => self.events.push(Event::End(TagEnd::Paragraph)),
            }
            if let Some((at, caption)) = self.captioned.take() {
                self.caption_in_text(at, &caption);
            }
            self.push_html(format!("{part}\n"));
            self.paragraph = Some(self.events.len());
            self.events.push(Event::Start(Tag::Paragraph));
        }
    }
}

/// `xhtml` with a `scope` on every header cell that has none: `col` in a table's head or in a
/// row of header cells only, `row` for a row's first cell, else `col`.
fn scope_header_cells(xhtml: &str) -> String {
    if !xhtml.contains("<th") {
        return xhtml.to_string();
    }
    let mut out = String::with_capacity(xhtml.len() + 64);
    let (mut in_head, mut row_of_headers, mut cell) = (false, false, 0);
    let mut rest = xhtml;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        let name: String = tag[1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
            .collect::<String>()
            .to_ascii_lowercase();
        match name.as_str() {
            "thead" => in_head = true,
            "/thead" => in_head = false,
            "tr" => {
                cell = 0;
                let row = rest.find("</tr>").map_or(rest, |e| &rest[..e]);
                row_of_headers = !row.contains("<td");
            }
            "td" => cell += 1,
            "th" => {
                if !tag.contains("scope=") {
                    let scope = if in_head || row_of_headers || cell > 0 {
                        "col"
                    } else {
                        "row"
                    };
                    out.push_str(&format!("<th scope=\"{scope}\""));
                    out.push_str(&tag[3..]);
                    rest = &rest[end..];
                    cell += 1;
                    continue;
                }
                cell += 1;
            }
            _ => {}
        }
        out.push_str(tag);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn tag_names(html: &str) -> impl Iterator<Item = (bool, String, bool)> + '_ {
    html.split('<').skip(1).filter_map(|part| {
        let end = part.find('>')?;
        let tag = &part[..end];
        if tag.starts_with('!') || tag.starts_with('?') {
            return None;
        }
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
            .to_ascii_lowercase();
        Some((
            closing,
            name.clone(),
            tag.ends_with('/') || VOID.contains(&name.as_str()),
        ))
    })
}

fn tags_opened(html: &str) -> usize {
    tag_names(html)
        .filter(|(closing, _, empty)| !closing && !empty)
        .count()
}

fn tags_closed(html: &str) -> usize {
    tag_names(html).filter(|(closing, _, _)| *closing).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::epub::images::BookImage;
    use crate::export::links::web_link;
    use crate::testing::assert_contains_all;

    /// `markdown` as a book body with no images and links as the web has them.
    fn bare(markdown: &str) -> Body {
        body_xhtml(markdown, &Gallery::default(), &[], &web_link)
    }

    fn render(markdown: &str) -> String {
        bare(markdown).xhtml
    }

    /// `markdown` as a book body holding copies of the PNG images `names` under `assets/`
    /// (`images/` and the name), with what the metadata says of them (`listed`).
    fn with_images(markdown: &str, names: &[&str], listed: &[Image]) -> Body {
        let mut gallery = Gallery::default();
        for name in names {
            let image = BookImage {
                path: format!("images/{name}"),
                media_type: "image/png",
            };
            gallery.carried.insert(format!("assets/{name}"), image);
        }
        body_xhtml(markdown, &gallery, listed, &web_link)
    }

    /// What the issue's metadata says of `file`: a caption and perhaps a credit, no alt text.
    fn listed(file: &str, caption: &str, credit: Option<&str>) -> [Image; 1] {
        [Image {
            file: file.into(),
            alt: None,
            caption: Some(caption.into()),
            credit: credit.map(Into::into),
        }]
    }

    #[test]
    fn header_cells_say_what_they_head() {
        let xhtml = render("| A | B |\n|---|--:|\n| 1 | 2 |\n\n<table>\n<tr><th>X</th><th>Y</th></tr>\n<tr><th>Row</th><td>v</td></tr>\n<tr><th scope=\"colgroup\">Kept</th><td>w</td></tr>\n</table>\n");
        assert_contains_all(&xhtml, &[
            "<thead><tr><th scope=\"col\">A</th><th scope=\"col\" style=\"text-align: right\">B</th></tr></thead>",
            "<tr><th scope=\"col\">X</th><th scope=\"col\">Y</th></tr>",
            "<tr><th scope=\"row\">Row</th><td>v</td></tr>",
            "<th scope=\"colgroup\">Kept</th>",
        ]);
        assert!(!xhtml.contains("<td scope"), "{xhtml}");
    }

    #[test]
    fn headings_never_skip_a_level() {
        let body = bare("# One\n\n#### Deep\n\n### Three\n\n## Two\n\n###### Six\n");
        let levels: Vec<&str> = body
            .xhtml
            .match_indices("<h")
            .map(|(at, _)| &body.xhtml[at + 1..at + 3])
            .collect();
        assert_eq!(levels, ["h2", "h3", "h3", "h2", "h3"], "{}", body.xhtml);
    }

    #[test]
    fn an_image_is_described_by_its_alt_text_the_metadata_its_title_or_honestly_not() {
        let body = with_images(
            "![The *alt*](assets/a.png) ![](assets/b.png) ![](assets/c.png \"A title\") ![](assets/d.png) ![A *lost* map](assets/missing.png)\n",
            &["a.png", "b.png", "c.png", "d.png"],
            &listed("assets/b.png", "Listed caption", None),
        );
        assert_contains_all(&body.xhtml, &[
            "<img src=\"images/a.png\" alt=\"The alt\"/>",
            "<img src=\"images/b.png\" alt=\"Listed caption\"/>",
            "<img title=\"A title\" src=\"images/c.png\" alt=\"A title\"/>",
            "<img src=\"images/d.png\" alt=\"An image the source gives no description of\" lang=\"en\" xml:lang=\"en\"/>",
            "[Image not in the archive: A lost map \u{2014} assets/missing.png]",
        ]);
        assert_eq!((body.shown.len(), body.undescribed), (4, 1));
    }

    #[test]
    fn one_file_shown_twice_with_a_caption_each_is_captioned_each_time_as_listed() {
        let listing = |alt: &str, caption: &str| Image {
            file: "assets/crane.png".into(),
            alt: Some(alt.into()),
            caption: Some(caption.into()),
            credit: None,
        };
        let body = with_images(
            "![Crane 14](assets/crane.png)\n\nText.\n\n![The cab](assets/crane.png)\n",
            &["crane.png"],
            &[
                listing("Crane 14", "Crane 14 lifts its last box."),
                listing("The cab", "The cab, February 2024."),
            ],
        );
        assert_contains_all(
            &body.xhtml,
            &[
                "alt=\"Crane 14\"/><figcaption>Crane 14 lifts its last box.</figcaption>",
                "alt=\"The cab\"/><figcaption>The cab, February 2024.</figcaption>",
            ],
        );
    }

    #[test]
    fn an_image_alone_in_its_paragraph_is_a_figure_with_the_metadatas_caption_and_credit() {
        let body = with_images(
            "Before.\n\n![The light](assets/a.png)\n\nIn text ![x](assets/a.png) and ![b](assets/b.png).\n",
            &["a.png", "b.png"],
            &listed(
                "assets/a.png",
                "The Skerry light at dusk",
                Some("Photo: A. & B. Keeper"),
            ),
        );
        assert_contains_all(&body.xhtml, &[
            "<figure><img src=\"images/a.png\" alt=\"The light\"/><figcaption>The Skerry light at dusk <span class=\"credit\">Photo: A. &amp; B. Keeper</span></figcaption></figure>",
            // Inside running text an image stays inline, its caption and credit after it.
            "<p>In text <img src=\"images/a.png\" alt=\"x\"/> <span class=\"caption\">(The Skerry light at dusk <span class=\"credit\">Photo: A. &amp; B. Keeper</span>)</span> and <img src=\"images/b.png\" alt=\"b\"/>.</p>",
        ]);
        assert!(!body.xhtml.contains("<p><figure>"), "{}", body.xhtml);
    }

    #[test]
    fn an_image_of_raw_html_is_carried_described_and_keeps_its_figure_and_caption() {
        let body = with_images(
            concat!(
                "<p><img src=\"assets/a.png\" alt=\"A\" width=\"30\"></p>\n\n",
                "<figure><img src=\"assets/b.png\" alt=\"B\"><figcaption>The <em>b</em> chart</figcaption></figure>\n\n",
                "Text <img src=\"assets/a.png\"> and <img src=\"assets/gone.png\" alt=\"Gone\">.\n",
            ),
            &["a.png", "b.png"],
            &listed("assets/a.png", "Listed", None),
        );
        let caption = "<span class=\"caption\">(Listed)</span>";
        assert_contains_all(&body.xhtml, &[
            &format!("<p><img src=\"images/a.png\" alt=\"A\"/> {caption}</p>"),
            "<figure><img src=\"images/b.png\" alt=\"B\"/><figcaption>The <em>b</em> chart</figcaption></figure>",
            &format!("Text <img src=\"images/a.png\" alt=\"Listed\"/> {caption} and <span class=\"note\">[Image not in the archive: Gone \u{2014} assets/gone.png]</span>."),
        ]);
        assert_eq!(body.shown, ["assets/a.png", "assets/b.png", "assets/a.png"]);
        assert_eq!(
            body.placed,
            ["assets/a.png", "assets/b.png", "assets/gone.png"]
        );
    }

    #[test]
    fn an_image_in_a_format_the_book_does_not_carry_is_named_with_why_and_keeps_its_caption() {
        let mut gallery = Gallery::default();
        let note = "its format, TIFF, is not one EPUB readers must show";
        let left_out = LeftOut {
            note: note.into(),
            reason: note.into(),
        };
        gallery.left_out.insert("assets/scan.tiff".into(), left_out);
        let listed = listed("assets/scan.tiff", "The scan", Some("Archive"));
        let body = body_xhtml(
            "![A scan](assets/scan.tiff)\n\nSee <img src=\"assets/scan.tiff\" alt=\"it\">.\n",
            &gallery,
            &listed,
            &web_link,
        );
        let named =
            format!("[Image not in this edition ({note}): A scan \u{2014} assets/scan.tiff]");
        assert_contains_all(&body.xhtml, &[
            &format!("<figure><span class=\"note\">{named}</span><figcaption>The scan <span class=\"credit\">Archive</span></figcaption></figure>"),
            "See <span class=\"note\">[Image not in this edition",
        ]);
        assert!(body.shown.is_empty() && body.undescribed == 0);
    }

    #[test]
    fn a_heading_keeps_its_inline_markup_and_the_nav_its_plain_text() {
        let body = body_xhtml(
            "## The *first* **big** `x` [argument](https://example.org/a)\n\n## Une <span lang=\"fr\">*mémoire*</span> difficile\n",
            &Gallery::default(),
            &[],
            &web_link,
        );
        assert_contains_all(&body.xhtml, &[
            "<h2 id=\"h-1\">The <em>first</em> <strong>big</strong> <code>x</code> <a href=\"https://example.org/a\">argument</a></h2>",
            "<h2 id=\"h-2\">Une <span lang=\"fr\"><em>mémoire</em></span> difficile</h2>",
        ]);
        let texts: Vec<&str> = body.headings.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(texts, ["The first big x argument", "Une mémoire difficile"]);
    }

    #[test]
    fn a_heading_written_as_raw_html_gets_no_number_as_the_link_rule_counts_none() {
        let markdown = "<h2>Raw Part</h2>\n\n## Crane Rails\n";
        let body = bare(markdown);
        assert!(
            body.xhtml.contains("<h2 id=\"h-1\">Crane Rails</h2>"),
            "{}",
            body.xhtml
        );
        let ids: Vec<&str> = body.headings.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["h-1"]);
        assert_eq!(
            crate::export::links::heading_anchors(markdown),
            ["crane-rails"]
        );
    }

    #[test]
    fn links_lead_where_the_book_has_their_target_and_the_others_are_named() {
        let resolve = |href: &str| match href {
            "#coda" => Some("#h-1".to_string()),
            "other.xhtml" => Some("a-other.xhtml".to_string()),
            _ => web_link(href),
        };
        let body = body_xhtml(
            "See [the coda](#coda), [the other](other.xhtml), [a chart](assets/c.png), [web](https://example.org/), and <a href=\"#coda\">raw</a> <a href=\"data.csv\">data</a>.\n\n## Coda\n\nAgain [a chart](assets/c.png).\n",
            &Gallery::default(),
            &[],
            &resolve,
        );
        assert_contains_all(
            &body.xhtml,
            &[
                "<a href=\"#h-1\">the coda</a>",
                "<a href=\"a-other.xhtml\">the other</a>",
                ", a chart, ",
                "<a href=\"https://example.org/\">web</a>",
                "<a href=\"#h-1\">raw</a> data.",
            ],
        );
        assert_eq!(body.unkept, ["assets/c.png", "data.csv"]);
    }

    #[test]
    fn a_pull_quote_stays_an_aside_marked_as_one_and_another_aside_is_unwrapped() {
        let xhtml = render("<aside class=\"pullquote\"><p>“The tide does not read deeds.”</p></aside>\n\n<aside class=\"box\"><p>Facts.</p></aside>\n");
        assert_contains_all(&xhtml, &[
            "<aside class=\"pullquote\" epub:type=\"pullquote\" role=\"doc-pullquote\"><p>“The tide does not read deeds.”</p>\n</aside>",
            "<p>Facts.</p>",
        ]);
        assert!(!xhtml.contains("box"), "{xhtml}");
    }

    #[test]
    fn an_image_opening_a_paragraph_of_more_is_followed_by_its_caption() {
        let body = with_images(
            "![A red square](assets/tiny.png) marks a berth.\n\nChart markers look like this: ![A red square](assets/tiny.png)\n",
            &["tiny.png"],
            &listed("assets/tiny.png", "Marker used on the chart.", Some("Data Desk")),
        );
        let caption = "<span class=\"caption\">(Marker used on the chart. <span class=\"credit\">Data Desk</span>)</span>";
        assert_contains_all(&body.xhtml, &[
            &format!("<p><img src=\"images/tiny.png\" alt=\"A red square\"/> {caption} marks a berth.</p>"),
            &format!("<p>Chart markers look like this: <img src=\"images/tiny.png\" alt=\"A red square\"/> {caption}</p>"),
        ]);
    }

    #[test]
    fn footnotes_are_epub_footnotes() {
        let xhtml =
            render("One[^a] and two[^b], one again[^a].\n\n[^a]: First.\n\n[^b]: Second.\n");
        assert_contains_all(&xhtml, &[
            "One<sup><a epub:type=\"noteref\" role=\"doc-noteref\" href=\"#fn-1\" id=\"fnref-1\">1</a></sup>",
            "again<sup><a epub:type=\"noteref\" role=\"doc-noteref\" href=\"#fn-1\">1</a></sup>",
            "<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn-2\">\n<p><a class=\"note-label\" href=\"#fnref-2\">2.</a> Second.</p>",
        ]);
        // Two calls in a row are kept apart.
        let xhtml = render("Found.[^a][^b]\n\n[^a]: One.\n\n[^b]: Two.\n");
        assert!(
            xhtml.contains(">1</a></sup><sup>,</sup><sup><a "),
            "{xhtml}"
        );
        let xhtml = render("A[^l].\n\n[^l]:\n    - one\n    - two\n");
        assert!(
            xhtml.contains("<p><a class=\"note-label\" href=\"#fnref-1\">1.</a></p>\n<ul>"),
            "{xhtml}"
        );
    }

    #[test]
    fn maths_strikethrough_sub_and_superscripts_and_definitions_are_rendered() {
        let xhtml =
            render("~~old~~ H<sub>2</sub>O a ^2^ ~i~ $a<b$ and $$\\sum x$$\n\nTerm\n: Meaning\n");
        assert_contains_all(
            &xhtml,
            &[
                "<del>old</del>",
                "H<sub>2</sub>O",
                "<sup>2</sup>",
                "<sub>i</sub>",
                "<code class=\"math\">a&lt;b</code>",
                "<code class=\"math math-display\">\\sum x</code>",
                "<dl>",
                "<dt>Term</dt>",
                "<dd>Meaning</dd>",
            ],
        );
    }

    #[test]
    fn raw_html_is_made_well_formed_and_mathml_stays_mathml() {
        let xhtml = render("<table>\n<tr><td>a<br>b</td></tr>\n</table>\n\nSee <math><mi>x</mi><mo>&lt;</mo><mn>2</mn></math> here<br>now.\n");
        assert!(
            xhtml.contains("<table>\n<tbody><tr><td>a<br/>b</td></tr>"),
            "{xhtml}"
        );
        assert!(xhtml.contains("See <math xmlns=\"http://www.w3.org/1998/Math/MathML\"><mi>x</mi><mo>&lt;</mo><mn>2</mn></math> here<br/>now."), "{xhtml}");
    }
}
