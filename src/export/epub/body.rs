//! An article body as EPUB XHTML, every construct of the body dialect rendered: headings with
//! ids for the nav, tables, footnotes as EPUB footnotes (`noteref` links to `footnote` asides),
//! strikethrough, sub- and superscripts, definition lists, TeX maths as its source in `code`,
//! and raw HTML (tables, MathML, inline markup) made well-formed XHTML of known elements.
//! Images point at the book's copies; an image the archive does not hold is named instead.

use super::{escape, image_path, xml_safe};
use crate::model::body::{self, xhtml};
use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Tag, TagEnd};
use std::collections::BTreeMap;

/// An article body in XHTML.
pub struct Body {
    pub xhtml: String,
    /// Each heading's id and text, for the nav.
    pub headings: Vec<(String, String)>,
    /// Whether the body holds MathML (the package must say so).
    pub mathml: bool,
}

/// HTML elements that are written empty: they open nothing in a run of inline HTML.
const VOID: [&str; 6] = ["br", "wbr", "img", "hr", "col", "input"];

struct Writer<'i> {
    images: &'i BTreeMap<String, Vec<u8>>,
    events: Vec<Event<'static>>,
    headings: Vec<(String, String)>,
    heading: Option<(HeadingLevel, String)>,
    skip_image: usize,
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
}

/// Renders `markdown` (the body dialect); `images` are the images the book carries.
pub fn body_xhtml(markdown: &str, images: &BTreeMap<String, Vec<u8>>) -> Body {
    let mut writer = Writer {
        images,
        events: Vec::new(),
        headings: Vec::new(),
        heading: None,
        skip_image: 0,
        notes: BTreeMap::new(),
        referenced: Vec::new(),
        html_block: None,
        inline_html: None,
        links: Vec::new(),
    };
    for event in body::parser(markdown) {
        writer.event(event.into_static());
    }
    writer.flush_inline_html();
    let mut out = String::new();
    html::push_html(&mut out, writer.events.into_iter());
    let xhtml = xml_safe(&out);
    Body {
        mathml: xhtml.contains("<math "),
        xhtml,
        headings: writer.headings,
    }
}

/// Keeps links a reader of a book can follow: absolute web and mail addresses.
fn book_link(href: &str) -> Option<String> {
    let lower = href.to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|s| lower.starts_with(s))
        .then(|| href.to_string())
}

impl Writer<'_> {
    fn push_html(&mut self, html: String) {
        self.events.push(Event::Html(CowStr::from(html)));
    }

    fn event(&mut self, event: Event<'static>) {
        if self.skip_image > 0 {
            if let Event::End(TagEnd::Image) = event {
                self.skip_image -= 1;
            }
            return;
        }
        if self.inline_html.is_some() && self.gather_inline(&event) {
            return;
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
                let cleaned = xhtml::clean_fragment(&block, &book_link);
                if !cleaned.xhtml.trim().is_empty() {
                    self.push_html(format!("{}\n", cleaned.xhtml.trim()));
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                self.inline_html = Some((String::new(), 0));
                self.gather_inline(&Event::InlineHtml(html));
            }
            Event::Start(Tag::Heading { level, .. }) => {
                let level = if level == HeadingLevel::H1 {
                    HeadingLevel::H2
                } else {
                    level
                };
                self.heading = Some((level, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Text(ref t) | Event::Code(ref t) if self.heading.is_some() => {
                if let Some((_, text)) = &mut self.heading {
                    text.push_str(t);
                }
            }
            _ if self.heading.is_some() => {}
            Event::Start(Tag::Image {
                dest_url,
                title,
                id,
                link_type,
            }) => self.image(dest_url, title, id, link_type),
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
                    "<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn-{n}\">\n<p class=\"note-label\"><a href=\"#fnref-{n}\">{n}</a></p>\n"
                ));
            }
            Event::End(TagEnd::FootnoteDefinition) => self.push_html("</aside>\n".into()),
            Event::Start(Tag::Link { ref dest_url, .. }) => {
                // A link a book cannot follow keeps its text only.
                let kept = book_link(dest_url).is_some();
                self.links.push(kept);
                if kept {
                    self.events.push(event);
                }
            }
            Event::End(TagEnd::Link) => {
                if self.links.pop().unwrap_or(true) {
                    self.events.push(event);
                }
            }
            other => self.events.push(other),
        }
    }

    fn end_heading(&mut self) {
        if let Some((level, text)) = self.heading.take() {
            let id = format!("h-{}", self.headings.len() + 1);
            self.push_html(format!(
                "<{level} id=\"{id}\">{}</{level}>\n",
                escape(&text)
            ));
            self.headings.push((id, text));
        }
    }

    fn image(
        &mut self,
        dest_url: CowStr<'static>,
        title: CowStr<'static>,
        id: CowStr<'static>,
        link_type: pulldown_cmark::LinkType,
    ) {
        let source = crate::export::pdf::compose::percent_decode(&dest_url);
        if self.images.contains_key(&source) {
            self.events.push(Event::Start(Tag::Image {
                dest_url: image_path(&source).into(),
                title,
                id,
                link_type,
            }));
        } else {
            self.push_html(format!(
                "<span class=\"note\">[Image not in the archive: {}]</span>",
                escape(&dest_url)
            ));
            self.skip_image += 1;
        }
    }

    fn note_number(&mut self, label: &str) -> usize {
        let next = self.notes.len() + 1;
        *self.notes.entry(label.to_string()).or_insert(next)
    }

    fn note_reference(&mut self, label: &str) {
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
        if let Some((buffer, _)) = self.inline_html.take() {
            let cleaned = xhtml::clean_fragment(&buffer, &book_link);
            if !cleaned.xhtml.is_empty() {
                self.push_html(cleaned.xhtml);
            }
        }
    }
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

    fn render(markdown: &str) -> String {
        body_xhtml(markdown, &BTreeMap::new()).xhtml
    }

    #[test]
    fn footnotes_are_epub_footnotes() {
        let xhtml =
            render("One[^a] and two[^b], one again[^a].\n\n[^a]: First.\n\n[^b]: Second.\n");
        assert!(xhtml.contains("One<sup><a epub:type=\"noteref\" role=\"doc-noteref\" href=\"#fn-1\" id=\"fnref-1\">1</a></sup>"), "{xhtml}");
        assert!(xhtml.contains("again<sup><a epub:type=\"noteref\" role=\"doc-noteref\" href=\"#fn-1\">1</a></sup>"), "{xhtml}");
        assert!(
            xhtml.contains("<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn-2\">"),
            "{xhtml}"
        );
    }

    #[test]
    fn maths_strikethrough_sub_and_superscripts_and_definitions_are_rendered() {
        let xhtml =
            render("~~old~~ H<sub>2</sub>O a ^2^ ~i~ $a<b$ and $$\\sum x$$\n\nTerm\n: Meaning\n");
        for part in [
            "<del>old</del>",
            "H<sub>2</sub>O",
            "<sup>2</sup>",
            "<sub>i</sub>",
            "<code class=\"math\">a&lt;b</code>",
            "<code class=\"math math-display\">\\sum x</code>",
            "<dl>",
            "<dt>Term</dt>",
            "<dd>Meaning</dd>",
        ] {
            assert!(xhtml.contains(part), "{part} not in {xhtml}");
        }
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
