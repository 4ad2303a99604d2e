//! Every SVG that leaves the archive (an EPUB's images and cover, the web edition's images and
//! cover copies, the feeds' covers) passes through here first. An SVG is a document, not only
//! a picture: opened from a site it runs its scripts on the site's origin, a reader may run
//! them in a book, and its references fetch from the web. So each SVG is read with a real XML
//! parser (quick-xml) and written again with its drawing and without: `script`,
//! `foreignObject` and other embedding elements, elements in the XHTML namespace, event
//! handlers (`on…`), animations of links or handlers, every reference in `href`, `xlink:href`
//! or `src` and in CSS `url(…)`/`@import` (in `style` elements and attributes) that is not a
//! fragment of the SVG itself (`#id`) or an embedded raster image (`data:image/png`…), style
//! sheet processing instructions, and the DOCTYPE with its entity declarations (an entity
//! whose text is plain is expanded, within a limit; the nested ones of a "billion laughs"
//! are not). The caller is told what was removed, to say so naming the file; an SVG that does
//! not parse is not carried at all.

use cssparser::{ParseError, Parser, Token};
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesStart, BytesText, Event};
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::reader::NsReader;
use quick_xml::Writer;
use std::collections::BTreeMap;

/// An SVG with only its drawing, and what was taken out of it (each once, in order met).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanSvg {
    pub bytes: Vec<u8>,
    pub removed: Vec<String>,
}

/// Why an SVG cannot be carried.
#[derive(Debug, thiserror::Error)]
pub enum SvgError {
    #[error("{path}: is an SVG that does not parse: it is not UTF-8")]
    NotUtf8 {
        path: String,
        #[source]
        cause: std::str::Utf8Error,
    },
    // The cause is said in the message: quick-xml's own errors repeat their source.
    #[error("{path}: is an SVG that does not parse (at byte {position}): {cause}")]
    NotXml {
        path: String,
        position: u64,
        cause: quick_xml::Error,
    },
    #[error("{path}: is not an SVG: {found}")]
    NotSvg { path: String, found: String },
    #[error("{path}: is an SVG that does not parse: it ends inside its `{element}` element")]
    Unclosed { path: String, element: String },
    #[error("{path}: is an SVG whose entities expand past {} bytes", ENTITY_LIMIT)]
    EntitiesTooLarge { path: String },
}

impl SvgError {
    /// What is wrong, with its cause, without the file's name: "is an SVG that does not
    /// parse…", for a message that names the file already.
    pub fn reason(&self) -> String {
        let path = match self {
            SvgError::NotUtf8 { path, .. }
            | SvgError::NotXml { path, .. }
            | SvgError::NotSvg { path, .. }
            | SvgError::Unclosed { path, .. }
            | SvgError::EntitiesTooLarge { path } => path,
        };
        let chain = crate::error_chain(self);
        match chain.strip_prefix(&format!("{path}: ")) {
            Some(reason) => reason.to_string(),
            None => chain,
        }
    }
}

/// The most text an SVG's entities may expand to in all.
const ENTITY_LIMIT: usize = 1 << 20;

const XHTML: &[u8] = b"http://www.w3.org/1999/xhtml";

/// Elements removed with everything in them (their names compared in lower case): what runs,
/// embeds another document, or listens for events.
const DROPPED: &[&str] = &[
    "script",
    "foreignobject",
    "iframe",
    "embed",
    "object",
    "handler",
    "listener",
];

/// The raster images an SVG may embed as `data:` URLs.
const DATA_IMAGES: &[&str] = &[
    "data:image/png",
    "data:image/jpeg",
    "data:image/gif",
    "data:image/webp",
];

/// `bytes`, the SVG at `path`, with only its drawing (see the module documentation).
pub fn clean(path: &str, bytes: &[u8]) -> Result<CleanSvg, SvgError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|cause| SvgError::NotUtf8 {
        path: path.to_string(),
        cause,
    })?;
    let mut cleaner = Cleaner::new(path);
    let mut reader = NsReader::from_str(text);
    loop {
        let (namespace, event) = match reader.read_resolved_event() {
            Ok((ns, event)) => (is_xhtml(&ns), event),
            Err(cause) => {
                return Err(SvgError::NotXml {
                    path: path.to_string(),
                    position: reader.error_position(),
                    cause,
                })
            }
        };
        if matches!(event, Event::Eof) {
            return cleaner.finish();
        }
        cleaner
            .event(event, namespace, &reader)
            .map_err(|cause| match cause {
                Failure::Xml(cause) => SvgError::NotXml {
                    path: path.to_string(),
                    position: reader.buffer_position(),
                    cause,
                },
                Failure::Svg(error) => error,
            })?;
    }
}

fn is_xhtml(namespace: &ResolveResult) -> bool {
    matches!(namespace, ResolveResult::Bound(Namespace(ns)) if *ns == XHTML)
}

/// What stops a cleaning midway: the XML, or what the SVG is.
enum Failure {
    Xml(quick_xml::Error),
    Svg(SvgError),
}

macro_rules! xml_failure {
    ($($cause:ty),*) => {$(
        impl From<$cause> for Failure {
            fn from(cause: $cause) -> Self {
                Failure::Xml(cause.into())
            }
        }
    )*};
}

xml_failure!(
    quick_xml::Error,
    std::io::Error,
    quick_xml::encoding::EncodingError,
    quick_xml::events::attributes::AttrError
);

/// The state of one cleaning.
struct Cleaner<'p> {
    path: &'p str,
    out: Writer<Vec<u8>>,
    /// The names of the open elements, and whether each was written (a removed element's,
    /// or a link's that lost its target, was not).
    open: Vec<(String, bool)>,
    /// While inside a removed element: the depth of `open` it was opened at.
    skipping: Option<usize>,
    /// The text of the `style` element being read.
    style: Option<String>,
    /// The plain entities the DOCTYPE declared, and how much text they have given so far.
    entities: BTreeMap<String, String>,
    expanded: usize,
    /// Whether the root element was met, and closed.
    rooted: bool,
    closed: bool,
    removed: Vec<String>,
}

impl<'p> Cleaner<'p> {
    fn new(path: &'p str) -> Self {
        let mut out = Writer::new(Vec::new());
        out.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
            .expect("writing to memory");
        out.get_mut().push(b'\n');
        Cleaner {
            path,
            out,
            open: Vec::new(),
            skipping: None,
            style: None,
            entities: BTreeMap::new(),
            expanded: 0,
            rooted: false,
            closed: false,
            removed: Vec::new(),
        }
    }

    fn remove(&mut self, what: String) {
        if !self.removed.contains(&what) {
            self.removed.push(what);
        }
    }

    fn failure(&self, found: String) -> Failure {
        Failure::Svg(SvgError::NotSvg {
            path: self.path.to_string(),
            found,
        })
    }

    fn event(
        &mut self,
        event: Event,
        xhtml: bool,
        reader: &NsReader<&[u8]>,
    ) -> Result<(), Failure> {
        match event {
            Event::Start(start) => self.start(start, xhtml, false, reader),
            Event::Empty(start) => self.start(start, xhtml, true, reader),
            Event::End(end) => self.end(Event::End(end)),
            Event::Text(text) => self.text(text.decode()?.as_ref(), Event::Text(text.borrow())),
            Event::CData(data) => self.text(data.decode()?.as_ref(), Event::CData(data.borrow())),
            Event::GeneralRef(reference) => self.reference(reference),
            Event::DocType(doctype) => {
                self.doctype(&doctype.decode()?);
                Ok(())
            }
            Event::PI(pi) => {
                if pi.target().eq_ignore_ascii_case(b"xml-stylesheet") {
                    self.remove("a style sheet processing instruction".into());
                }
                Ok(())
            }
            // The declaration is written anew (UTF-8); comments are no part of the drawing.
            Event::Decl(_) | Event::Comment(_) | Event::Eof => Ok(()),
        }
    }

    fn finish(self) -> Result<CleanSvg, SvgError> {
        if let Some((element, _)) = self.open.last() {
            return Err(SvgError::Unclosed {
                path: self.path.to_string(),
                element: element.clone(),
            });
        }
        if !self.rooted {
            return Err(SvgError::NotSvg {
                path: self.path.to_string(),
                found: "it holds no element".into(),
            });
        }
        let mut bytes = self.out.into_inner();
        bytes.push(b'\n');
        Ok(CleanSvg {
            bytes,
            removed: self.removed,
        })
    }

    fn start(
        &mut self,
        start: BytesStart,
        xhtml: bool,
        empty: bool,
        reader: &NsReader<&[u8]>,
    ) -> Result<(), Failure> {
        let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
        let local = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
        if self.skipping.is_some() {
            if !empty {
                self.open.push((name, false));
            }
            return Ok(());
        }
        self.check_root(&local)?;
        if let Some(why) = dropped(&local, xhtml, &start) {
            self.remove(why);
            if !empty {
                self.skipping = Some(self.open.len());
                self.open.push((name, false));
            }
            return Ok(());
        }
        let mut kept = BytesStart::new(name.clone());
        let mut linked = false;
        for attribute in start.attributes() {
            if let Some((key, value)) = self.attribute(attribute?, reader)? {
                linked |= key.rsplit(':').next() == Some("href");
                kept.push_attribute((key.as_str(), value.as_str()));
            }
        }
        // A link left with no target is no link: its content is kept without it.
        let written = linked || local != "a";
        match empty {
            true => self.closed |= self.open.is_empty(),
            false => self.open.push((name, written)),
        }
        if !written {
            return Ok(());
        }
        if local.eq_ignore_ascii_case("style") && !empty {
            self.style = Some(String::new());
        }
        let event = match empty {
            true => Event::Empty(kept),
            false => Event::Start(kept),
        };
        self.out.write_event(event)?;
        Ok(())
    }

    /// The first element must be `svg`, and the only one at the top.
    fn check_root(&mut self, local: &str) -> Result<(), Failure> {
        if self.closed && self.open.is_empty() {
            return Err(self.failure(format!("a `{local}` element follows its root element")));
        }
        if !self.rooted {
            if local != "svg" {
                return Err(self.failure(format!("its root element is `{local}`")));
            }
            self.rooted = true;
        }
        Ok(())
    }

    /// An attribute as it is kept (its value unescaped), or `None` when it is removed.
    fn attribute(
        &mut self,
        attribute: Attribute,
        reader: &NsReader<&[u8]>,
    ) -> Result<Option<(String, String)>, Failure> {
        let key = String::from_utf8_lossy(attribute.key.as_ref()).into_owned();
        let Some(value) = self.unescape(&attribute.value)? else {
            self.remove(format!(
                "the attribute `{key}`, which uses an undeclared entity"
            ));
            return Ok(None);
        };
        if attribute.key.as_namespace_binding().is_some() {
            return Ok(Some((key, value)));
        }
        let (_, local) = reader.resolve_attribute(attribute.key);
        let local = String::from_utf8_lossy(local.as_ref()).to_ascii_lowercase();
        let prefix = attribute.key.prefix().map(|p| p.as_ref().to_vec());
        if local.starts_with("on") {
            self.remove(format!("the event handler `{key}`"));
            return Ok(None);
        }
        if local == "ping" || (local == "base" && prefix.as_deref() == Some(b"xml")) {
            self.remove(format!("the attribute `{key}`"));
            return Ok(None);
        }
        if matches!(local.as_str(), "href" | "src") && !is_safe_reference(&value) {
            self.remove(format!("the reference `{}`", shown(&value)));
            return Ok(None);
        }
        let value = match local == "style" || value.contains(['(', '\\']) {
            true => scrub_css(&value, &mut self.removed),
            false => value,
        };
        Ok(Some((key, value)))
    }

    /// Attribute text with its references resolved: the predefined ones, characters, and the
    /// plain entities the DOCTYPE declared; `None` when it uses another.
    fn unescape(&mut self, raw: &[u8]) -> Result<Option<String>, Failure> {
        let Ok(raw) = std::str::from_utf8(raw) else {
            return Ok(None);
        };
        let entities = &self.entities;
        let Ok(value) = quick_xml::escape::unescape_with(raw, |name| {
            quick_xml::escape::resolve_predefined_entity(name)
                .or_else(|| entities.get(name).map(String::as_str))
        }) else {
            return Ok(None);
        };
        let value = value.into_owned();
        self.expand(value.len().saturating_sub(raw.len()))?;
        Ok(Some(value))
    }

    /// Counts `bytes` more of entity text, within the limit.
    fn expand(&mut self, bytes: usize) -> Result<(), Failure> {
        self.expanded += bytes;
        match self.expanded > ENTITY_LIMIT {
            true => Err(Failure::Svg(SvgError::EntitiesTooLarge {
                path: self.path.to_string(),
            })),
            false => Ok(()),
        }
    }

    fn end(&mut self, end: Event) -> Result<(), Failure> {
        let written = self.open.pop().is_some_and(|(_, written)| written);
        if self.open.is_empty() {
            self.closed = true;
        }
        match self.skipping {
            Some(depth) if depth == self.open.len() => self.skipping = None,
            Some(_) => {}
            None => {
                if let Some(css) = self.style.take() {
                    let css = scrub_css(&css, &mut self.removed);
                    self.out.write_event(Event::Text(BytesText::new(&css)))?;
                }
                if written {
                    self.out.write_event(end)?;
                }
            }
        }
        Ok(())
    }

    /// Text or CDATA, `decoded` being its text: kept inside the root, gathered inside a style
    /// sheet.
    fn text(&mut self, decoded: &str, event: Event) -> Result<(), Failure> {
        if self.skipping.is_some() || self.open.is_empty() {
            return Ok(());
        }
        match &mut self.style {
            Some(css) => css.push_str(decoded),
            None => self.out.write_event(event)?,
        }
        Ok(())
    }

    /// An entity or character reference in text.
    fn reference(&mut self, reference: quick_xml::events::BytesRef) -> Result<(), Failure> {
        if self.skipping.is_some() || self.open.is_empty() {
            return Ok(());
        }
        let name = reference.decode()?.into_owned();
        let text = match reference.resolve_char_ref()? {
            Some(c) => Some(c.to_string()),
            None => quick_xml::escape::resolve_predefined_entity(&name)
                .or_else(|| self.entities.get(&name).map(String::as_str))
                .map(str::to_string),
        };
        let Some(text) = text else {
            self.remove(format!("the undeclared entity `&{name};`"));
            return Ok(());
        };
        self.expand(text.len())?;
        match &mut self.style {
            Some(css) => css.push_str(&text),
            None => self.out.write_event(Event::Text(BytesText::new(&text)))?,
        }
        Ok(())
    }

    /// The DOCTYPE is not written again; its internal subset's plain entities are kept to be
    /// expanded.
    fn doctype(&mut self, doctype: &str) {
        let Some((_, subset)) = doctype.split_once('[') else {
            return;
        };
        self.entities = plain_entities(subset);
        self.remove("the DOCTYPE's internal subset".into());
    }
}

/// Why an element is removed with its content, or `None` when it is kept.
fn dropped(local: &str, xhtml: bool, start: &BytesStart) -> Option<String> {
    let lower = local.to_ascii_lowercase();
    if DROPPED.contains(&lower.as_str()) || xhtml {
        return Some(format!("the element `{local}`"));
    }
    let animation = matches!(lower.as_str(), "set" | "animate");
    let target = start
        .try_get_attribute("attributeName")
        .ok()
        .flatten()
        .map(|a| String::from_utf8_lossy(&a.value).to_ascii_lowercase());
    let target = target.as_deref().map(|t| t.rsplit(':').next().unwrap_or(t));
    match target {
        Some(t) if animation && (t.starts_with("on") || matches!(t, "href" | "src")) => {
            Some(format!("the animation of `{t}`"))
        }
        _ => None,
    }
}

/// The entities of a DOCTYPE's internal subset whose text is plain (no reference, no markup):
/// those are expanded, and no other.
fn plain_entities(subset: &str) -> BTreeMap<String, String> {
    let mut entities = BTreeMap::new();
    for declaration in subset.split("<!ENTITY").skip(1) {
        let declaration = declaration.trim_start();
        let Some((name, rest)) = declaration.split_once(char::is_whitespace) else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(quote) = rest.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
            continue;
        };
        let Some((value, _)) = rest[1..].split_once(quote) else {
            continue;
        };
        if !name.starts_with('%') && !value.contains(['&', '<', '%']) {
            entities
                .entry(name.to_string())
                .or_insert(value.to_string());
        }
    }
    entities
}

/// Whether a reference stays inside the SVG: a fragment (`#id`), or a raster image embedded
/// as a `data:` URL.
fn is_safe_reference(url: &str) -> bool {
    let url = url.trim_matches(|c: char| c.is_ascii_whitespace() || c.is_control());
    let lower = url.to_ascii_lowercase();
    url.starts_with('#')
        || DATA_IMAGES.iter().any(|prefix| {
            lower
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with([';', ',']))
        })
}

/// A reference as a message names it: at most 60 characters.
fn shown(url: &str) -> String {
    let url = url.trim();
    match url.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &url[..at]),
        None => url.to_string(),
    }
}

/// CSS (a style sheet, a `style` attribute or a presentation attribute's value) without its
/// references to anything outside the SVG: each such `url(…)`, `@import` string or
/// `image-set` string is left out and named in `removed`; the rest is kept as written.
fn scrub_css(css: &str, removed: &mut Vec<String>) -> String {
    let mut parser = Parser::new(css);
    let mut out = String::with_capacity(css.len());
    scrub_tokens(&mut parser, &mut out, removed, false);
    out
}

fn scrub_tokens(
    parser: &mut Parser,
    out: &mut String,
    removed: &mut Vec<String>,
    strings_are_urls: bool,
) {
    let mut importing = false;
    loop {
        let start = parser.position();
        let Ok(token) = parser.next_including_whitespace_and_comments().cloned() else {
            return;
        };
        match &token {
            Token::UnquotedUrl(url) | Token::BadUrl(url) if leaves(url, removed) => {}
            Token::QuotedString(url) if (strings_are_urls || importing) && leaves(url, removed) => {
            }
            Token::Function(name) if is_url_function(name) => {
                let url = url_argument(parser);
                if !leaves(&url, removed) {
                    out.push_str(parser.slice_from(start));
                }
            }
            Token::Function(_)
            | Token::ParenthesisBlock
            | Token::SquareBracketBlock
            | Token::CurlyBracketBlock => {
                out.push_str(parser.slice_from(start));
                let urls = matches!(&token, Token::Function(n) if is_image_set(n));
                let _ = parser.parse_nested_block(|nested| {
                    scrub_tokens(nested, out, removed, urls);
                    Ok::<(), ParseError<()>>(())
                });
                out.push(match token {
                    Token::SquareBracketBlock => ']',
                    Token::CurlyBracketBlock => '}',
                    _ => ')',
                });
            }
            _ => out.push_str(parser.slice_from(start)),
        }
        match &token {
            Token::AtKeyword(name) => importing = name.eq_ignore_ascii_case("import"),
            Token::Semicolon | Token::CurlyBracketBlock => importing = false,
            _ => {}
        }
    }
}

/// Whether a style reference leads outside the SVG; if so it is named in `removed`.
fn leaves(url: &str, removed: &mut Vec<String>) -> bool {
    if is_safe_reference(url) {
        return false;
    }
    let what = format!("the style reference `{}`", shown(url));
    if !removed.contains(&what) {
        removed.push(what);
    }
    true
}

fn is_url_function(name: &str) -> bool {
    name.eq_ignore_ascii_case("url") || name.eq_ignore_ascii_case("src")
}

fn is_image_set(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.ends_with("image-set") || name == "image" || name == "cross-fade"
}

/// The URL a `url(` or `src(` function gives (its first string), the parser left after it.
fn url_argument(parser: &mut Parser) -> String {
    parser
        .parse_nested_block(|nested| {
            let mut url = String::new();
            while let Ok(token) = nested.next() {
                if let Token::QuotedString(text) | Token::Ident(text) = token {
                    if url.is_empty() {
                        url = text.to_string();
                    }
                }
            }
            Ok::<String, ParseError<()>>(url)
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaned(svg: &str) -> (String, Vec<String>) {
        let clean = clean("assets/x.svg", svg.as_bytes()).unwrap();
        (String::from_utf8(clean.bytes).unwrap(), clean.removed)
    }

    const SCRIPTED: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="60" height="30" onload="alert('load')">
  <title>Sales &amp; costs</title>
  <rect width="60" height="30" fill="url(#g)" ONCLICK="alert('click')"/>
  <script type="text/javascript"><![CDATA[ document.title = 'ran'; ]]></script>
  <a href="javascript:alert('link')"><text x="2" y="20">click &#x263A;</text></a>
  <a xlink:href=" JavaScript:alert('x')"><text>x</text></a>
  <image href="https://example.com/tracker.png"/>
  <image xlink:href="//example.com/t.png"/>
  <image href="data:image/png;base64,iVBORw0KGgo="/>
  <use href="#g"/>
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></div></foreignObject>
  <h:iframe xmlns:h="http://www.w3.org/1999/xhtml" src="https://evil.example/"/>
  <set attributeName="xlink:href" to="javascript:alert(2)"/>
  <animate attributeName="fill" to="red"/>
</svg>
"##;

    #[test]
    fn scripts_handlers_and_references_outside_the_svg_are_removed_and_the_drawing_kept() {
        let (svg, removed) = cleaned(SCRIPTED);
        let lower = svg.to_ascii_lowercase();
        for gone in [
            "<script",
            "onload",
            "onclick",
            "javascript:",
            "example.com",
            "foreignobject",
            "iframe",
            "alert(",
            "<set",
        ] {
            assert!(!lower.contains(gone), "{gone} in {svg}");
        }
        for kept in [
            "<title>Sales &amp; costs</title>",
            "<rect width=\"60\" height=\"30\" fill=\"url(#g)\"/>",
            // A link that lost its target is no link.
            "\n  <text x=\"2\" y=\"20\">click \u{263A}</text>\n",
            "\n  <text>x</text>\n",
            "<image href=\"data:image/png;base64,iVBORw0KGgo=\"/>",
            "<use href=\"#g\"/>",
            "<animate attributeName=\"fill\" to=\"red\"/>",
            "xmlns:xlink=\"http://www.w3.org/1999/xlink\"",
        ] {
            assert!(svg.contains(kept), "{kept} not in {svg}");
        }
        assert_eq!(
            removed,
            [
                "the event handler `onload`",
                "the event handler `ONCLICK`",
                "the element `script`",
                "the reference `javascript:alert('link')`",
                "the reference `JavaScript:alert('x')`",
                "the reference `https://example.com/tracker.png`",
                "the reference `//example.com/t.png`",
                "the element `foreignObject`",
                "the element `iframe`",
                "the animation of `href`",
            ]
        );
        // What is written parses again, and gives the same.
        assert_eq!(cleaned(&svg), (svg.clone(), Vec::new()));
    }

    #[test]
    fn style_references_outside_the_svg_are_removed_however_they_are_escaped() {
        let (svg, removed) = cleaned(concat!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><style>",
            "@import 'https://evil.example/a.css'; @import url(x.css);",
            " .a { fill: url(#grad); background: \\75 rl(https://evil.example/b.png) red }",
            " .b > .c { cursor: url( \"//evil.example/c.cur\" ), auto; mask: image-set(\"d.png\" 1x) }",
            "</style><rect style=\"fill: URL(https://evil.example/e); stroke: blue\"",
            " filter=\"url(http://evil.example/f#x)\" transform=\"translate(1 2)\"/></svg>",
        ));
        assert!(!svg.contains("evil.example"), "{svg}");
        for kept in [
            "fill: url(#grad)",
            "background:  red",
            ".b &gt; .c",
            "stroke: blue",
            "transform=\"translate(1 2)\"",
        ] {
            assert!(svg.contains(kept), "{kept} not in {svg}");
        }
        assert_eq!(removed.len(), 7, "{removed:?}");
        assert!(removed
            .iter()
            .all(|r| r.starts_with("the style reference `")));
    }

    #[test]
    fn a_billion_laughs_is_not_expanded_and_a_plain_entity_is() {
        let (svg, removed) = cleaned(concat!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [\n",
            "<!ENTITY ns_svg \"http://www.w3.org/2000/svg\">\n",
            "<!ENTITY lol \"lol\">\n<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n",
            "<!ENTITY ext SYSTEM \"file:///etc/passwd\">\n]>\n",
            "<svg xmlns=\"&ns_svg;\"><text>&lol; &lol2; &ext;</text></svg>",
        ));
        assert_eq!(
            svg,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><text>lol  </text></svg>\n"
        );
        assert_eq!(
            removed,
            [
                "the DOCTYPE's internal subset",
                "the undeclared entity `&lol2;`",
                "the undeclared entity `&ext;`",
            ]
        );
    }

    #[test]
    fn entities_that_expand_too_far_refuse_the_svg() {
        let entity = "x".repeat(4096);
        let references = "&big;".repeat(300);
        let svg = format!(
            "<!DOCTYPE svg [<!ENTITY big \"{entity}\">]><svg xmlns=\"http://www.w3.org/2000/svg\"><text>{references}</text></svg>"
        );
        let error = clean("assets/big.svg", svg.as_bytes()).unwrap_err();
        assert!(
            matches!(error, SvgError::EntitiesTooLarge { .. }),
            "{error}"
        );
    }

    #[test]
    fn what_does_not_parse_or_is_no_svg_is_refused_naming_the_file() {
        for (bytes, said) in [
            (&b"<svg><g></svg>"[..], "is an SVG that does not parse"),
            (b"<svg><g>", "it ends inside its `g` element"),
            (b"<html><body/></html>", "its root element is `html`"),
            (b"<svg/><svg/>", "a `svg` element follows its root element"),
            (b"<svg a=\"1\" a=\"2\"/>", "is an SVG that does not parse"),
            (b"\xff\xfe<\0s\0", "it is not UTF-8"),
            (b"", "it holds no element"),
        ] {
            let error = clean("assets/bad.svg", bytes).unwrap_err();
            let text = error.to_string();
            assert!(
                text.starts_with("assets/bad.svg: ") && text.contains(said),
                "{text}"
            );
            assert!(error.reason().starts_with("is "), "{}", error.reason());
        }
    }

    #[test]
    fn a_plain_drawing_comes_back_as_it_was_drawn() {
        let chart = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">\n  <!-- bars -->\n  <rect x=\"1\" width=\"2\" height=\"5\" fill=\"#c0392b\"/>\n  <text>Q1 &lt; Q2</text>\n</svg>";
        let (svg, removed) = cleaned(chart);
        assert!(removed.is_empty(), "{removed:?}");
        assert_eq!(
            svg,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">\n  \n  <rect x=\"1\" width=\"2\" height=\"5\" fill=\"#c0392b\"/>\n  <text>Q1 &lt; Q2</text>\n</svg>\n"
        );
    }
}
