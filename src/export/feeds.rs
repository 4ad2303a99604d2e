//! Distribution feeds over the exported files: an OPDS 1.2 acquisition feed (Atom) for e-reader
//! apps and an RSS 2.0 feed of the latest issues. Ids are stable across runs and every date
//! comes from the archive (version created times, cover dates), never from the clock.

use super::ExportError;
use crate::model::Issue;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use std::borrow::Cow;
use std::io::Cursor;

/// One issue with the files exported for one version: its head, or, when the head has no
/// export, the newest version that has (the entry's summary says so).
#[derive(Debug, Clone)]
pub struct FeedEntry {
    pub object_id: String,
    pub version: u32,
    /// The issue's head: `version` unless the head has no export.
    pub head: u32,
    /// The version's created time (RFC 3339).
    pub created: String,
    pub issue: Issue,
    /// (file name, media type, size in bytes) of each exported file.
    pub files: Vec<(String, &'static str, u64)>,
    /// (file name, media type) of the cover image, if exported.
    pub cover: Option<(String, &'static str)>,
}

struct Xml {
    writer: Writer<Cursor<Vec<u8>>>,
}

impl Xml {
    fn new() -> Self {
        let mut xml = Xml {
            writer: Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 2),
        };
        xml.write(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        xml
    }

    /// Writing to memory cannot fail.
    fn write(&mut self, event: Event) {
        self.writer.write_event(event).expect("in memory");
    }

    fn start(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.write(Event::Start(element(name, attributes)));
    }

    fn end(&mut self, name: &str) {
        self.write(Event::End(BytesEnd::new(name)));
    }

    fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.write(Event::Empty(element(name, attributes)));
    }

    fn text(&mut self, name: &str, text: &str) {
        self.start(name, &[]);
        self.write(Event::Text(BytesText::new(&xml_chars(text))));
        self.end(name);
    }

    fn finish(self) -> Vec<u8> {
        let mut bytes = self.writer.into_inner().into_inner();
        bytes.push(b'\n');
        bytes
    }
}

/// An element's tag with its attributes, in the order given.
fn element<'a>(name: &'a str, attributes: &[(&'a str, &'a str)]) -> BytesStart<'a> {
    let values: Vec<Cow<str>> = attributes.iter().map(|(_, v)| xml_chars(v)).collect();
    BytesStart::new(name).with_attributes(
        attributes
            .iter()
            .zip(&values)
            .map(|((key, _), value)| (*key, value.as_ref())),
    )
}

/// `text` as XML 1.0 can hold it: escaping aside, a few characters have no place in it at all
/// (U+FFFE, U+FFFF, most controls), and a title may hold them; they are left out, so that a
/// reader's parser does not refuse the whole feed.
fn xml_chars(text: &str) -> Cow<'_, str> {
    let allowed = |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..);
    match text.chars().all(allowed) {
        true => Cow::Borrowed(text),
        false => Cow::Owned(text.chars().filter(|c| allowed(*c)).collect()),
    }
}

/// The articles' titles, after a note when the files are not of the issue's head.
fn summary(entry: &FeedEntry) -> String {
    let titles = entry
        .issue
        .articles()
        .map(|a| a.title.as_str())
        .collect::<Vec<_>>()
        .join(" · ");
    match entry.version == entry.head {
        true => titles,
        false => format!(
            "These files are version {} of the issue; its newest version, {}, is not exported. {titles}",
            entry.version, entry.head
        ),
    }
}

/// The OPDS 1.2 acquisition feed.
pub fn opds(entries: &[FeedEntry], base_url: &str, title: &str) -> Result<Vec<u8>, ExportError> {
    let mut xml = Xml::new();
    xml.start(
        "feed",
        &[
            ("xmlns", "http://www.w3.org/2005/Atom"),
            ("xmlns:dc", "http://purl.org/dc/terms/"),
            ("xmlns:opds", "http://opds-spec.org/2010/catalog"),
        ],
    );
    xml.text(
        "id",
        &format!(
            "urn:quire:catalog:{}",
            &crate::archive::DigestAlgorithm::Sha256.digest(base_url.as_bytes())[..16]
        ),
    );
    xml.text("title", title);
    // Compared as instants: the strings may carry different offsets.
    let updated = entries
        .iter()
        .max_by_key(|e| instant(&e.created))
        .map(|e| e.created.as_str())
        .unwrap_or("1970-01-01T00:00:00Z");
    xml.text("updated", updated);
    xml.start("author", &[]);
    xml.text("name", "quire");
    xml.end("author");
    let kind = "application/atom+xml;profile=opds-catalog;kind=acquisition";
    xml.empty(
        "link",
        &[
            ("rel", "self"),
            ("href", &format!("{base_url}opds.xml")),
            ("type", kind),
        ],
    );
    xml.empty(
        "link",
        &[
            ("rel", "start"),
            ("href", &format!("{base_url}opds.xml")),
            ("type", kind),
        ],
    );
    for entry in entries {
        let issue = &entry.issue;
        xml.start("entry", &[]);
        xml.text("title", &issue.full_title());
        xml.text("id", &entry.object_id);
        xml.text("updated", &entry.created);
        let authors = issue.authors();
        for author in authors {
            xml.start("author", &[]);
            xml.text("name", author);
            xml.end("author");
        }
        if let Some(language) = issue.language() {
            xml.text("dc:language", language);
        }
        if let Some(publisher) = &issue.publication.publisher {
            xml.text("dc:publisher", publisher);
        }
        if let Some(date) = issue.date {
            xml.text("dc:issued", &date.to_string());
        }
        xml.text("summary", &summary(entry));
        if let Some((file, media)) = &entry.cover {
            xml.empty(
                "link",
                &[
                    ("rel", "http://opds-spec.org/image"),
                    ("href", &format!("{base_url}{file}")),
                    ("type", media),
                ],
            );
        }
        for (file, media, _) in &entry.files {
            xml.empty(
                "link",
                &[
                    ("rel", "http://opds-spec.org/acquisition"),
                    ("href", &format!("{base_url}{file}")),
                    ("type", media),
                ],
            );
        }
        xml.end("entry");
    }
    xml.end("feed");
    Ok(xml.finish())
}

/// The RSS 2.0 feed of the latest issues (newest first).
pub fn rss(entries: &[FeedEntry], base_url: &str, title: &str) -> Result<Vec<u8>, ExportError> {
    let mut sorted: Vec<&FeedEntry> = entries.iter().collect();
    sorted.sort_by(|a, b| {
        instant(&b.created)
            .cmp(&instant(&a.created))
            .then_with(|| a.object_id.cmp(&b.object_id))
    });
    let mut xml = Xml::new();
    xml.start("rss", &[("version", "2.0")]);
    xml.start("channel", &[]);
    xml.text("title", title);
    xml.text("link", if base_url.is_empty() { "./" } else { base_url });
    xml.text("description", &format!("The latest issues of {title}"));
    if let Some(newest) = sorted.first() {
        xml.text("lastBuildDate", &rfc822(&newest.created)?);
    }
    for entry in sorted {
        xml.start("item", &[]);
        xml.text("title", &entry.issue.full_title());
        if let Some((file, _, _)) = entry.files.first() {
            xml.text("link", &format!("{base_url}{file}"));
        }
        xml.text("description", &summary(entry));
        xml.start("guid", &[("isPermaLink", "false")]);
        xml.writer
            .write_event(Event::Text(BytesText::new(&format!(
                "{}@v{}",
                entry.object_id, entry.version
            ))))
            .map_err(ExportError::encode::<std::io::Error>("a feed"))?;
        xml.end("guid");
        xml.text("pubDate", &rfc822(&entry.created)?);
        if let Some((file, media, size)) = entry.files.first() {
            xml.empty(
                "enclosure",
                &[
                    ("url", &format!("{base_url}{file}")),
                    ("length", &size.to_string()),
                    ("type", media),
                ],
            );
        }
        xml.end("item");
    }
    xml.end("channel");
    xml.end("rss");
    Ok(xml.finish())
}

fn rfc822(rfc3339: &str) -> Result<String, ExportError> {
    let time =
        chrono::DateTime::parse_from_rfc3339(rfc3339).map_err(|cause| ExportError::BadCreated {
            created: rfc3339.to_string(),
            cause,
        })?;
    Ok(time.to_rfc2822())
}

/// An RFC 3339 time as seconds since the epoch (unparsable times sort first).
fn instant(rfc3339: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|d| d.timestamp())
        .unwrap_or(i64::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// An entry for an issue whose titles hold `title` (set after parsing: ingest refuses
    /// noncharacters, but an archive another tool wrote may hold them).
    fn entry(title: &str) -> FeedEntry {
        let text = "[publication]\ntitle = \"P\"\n[issue]\nid = \"x\"\ntitle = \"T\"\n[[articles]]\nid = \"a\"\ntitle = \"T\"\nauthors = [\"A\"]\nbody = \"articles/a.md\"\n";
        let files = BTreeSet::from(["articles/a.md".to_string()]);
        let mut issue = Issue::parse(text, "issue.toml", &files).unwrap();
        issue.title = Some(title.to_string());
        let article = &mut issue.sections[0].articles[0];
        article.title = title.to_string();
        article.authors = vec![title.to_string()];
        FeedEntry {
            object_id: "urn:quire:x".into(),
            version: 1,
            head: 1,
            created: "2024-03-15T10:00:00+02:00".into(),
            issue,
            files: vec![("x-v1.epub".into(), "application/epub+zip", 10)],
            cover: None,
        }
    }

    #[test]
    fn characters_xml_cannot_hold_are_left_out_and_the_rest_is_escaped() {
        let entries = [entry("A \u{FFFE}<b>&\u{FFFF}\"z\"")];
        assert!(entries[0].issue.full_title().contains('\u{FFFE}'));
        for feed in [
            opds(&entries, "https://example.org/?a=1&b=\"2\"", "T").unwrap(),
            rss(&entries, "https://example.org/?a=1&b=\"2\"", "T").unwrap(),
        ] {
            let text = String::from_utf8(feed).unwrap();
            assert!(!text.contains(['\u{FFFE}', '\u{FFFF}']), "{text}");
            assert!(text.contains("A &lt;b&gt;&amp;&quot;z&quot;"), "{text}");
            assert!(!text.contains("a=1&b"), "{text}");
        }
    }

    #[test]
    fn the_rss_dates_keep_the_archives_offset() {
        let text = String::from_utf8(rss(&[entry("A")], "", "T").unwrap()).unwrap();
        assert!(
            text.contains("<pubDate>Fri, 15 Mar 2024 10:00:00 +0200</pubDate>"),
            "{text}"
        );
    }
}
