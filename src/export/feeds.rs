//! Distribution feeds over the exported files: an OPDS 1.2 acquisition feed (Atom) for e-reader
//! apps and an RSS 2.0 feed of the latest issues. Ids are stable across runs and every date
//! comes from the archive (version created times, cover dates), never from the clock.
//!
//! Atom resolves a relative link against the feed's own address, so the catalog works from a
//! folder served anywhere; RSS 2.0 wants absolute URLs (the channel's `link`, every enclosure),
//! so the RSS feed is made only when the URL the files are served at is known.

use super::bag::CONFIG_FILE;
use super::ExportError;
use crate::archive::Archive;
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

/// A base URL that is not an absolute `http` or `https` URL a file name can follow.
#[derive(Debug, thiserror::Error)]
#[error(
    "{url}: {reason}; give the address the files are served at, e.g. https://example.org/magazine/"
)]
pub struct BaseUrlError {
    pub url: String,
    pub reason: &'static str,
}

/// The URL the files are served at, as the feeds join file names to it: empty (relative
/// links), or an absolute `http`/`https` URL with a host and no query or fragment, given a `/`
/// at its end when it lacks one.
pub fn base_url(url: &str) -> Result<String, BaseUrlError> {
    if url.is_empty() {
        return Ok(String::new());
    }
    let refused = |reason| BaseUrlError {
        url: url.to_string(),
        reason,
    };
    let parsed = url::Url::parse(url).map_err(|_| refused("not an absolute URL"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(refused("not an http or https URL"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(refused("names no host"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(refused(
            "has a query or fragment, which file names cannot follow",
        ));
    }
    Ok(match url.ends_with('/') {
        true => url.to_string(),
        false => format!("{url}/"),
    })
}

/// The title the storage root's `quire.toml` gives the archive (`[archive] title`), if any:
/// the name an archive of several publications goes by on its site and in its feeds. A file
/// that is not UTF-8 TOML, or an `[archive]` table with unknown keys, is an error naming it.
pub fn configured_title(archive: &Archive) -> Result<Option<String>, ExportError> {
    #[derive(serde::Deserialize)]
    struct Config {
        archive: Option<ArchiveSettings>,
    }
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct ArchiveSettings {
        title: Option<String>,
    }
    let bytes = match archive.store().read(CONFIG_FILE) {
        Ok(bytes) => bytes,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(crate::archive::ArchiveError::from(e).into()),
    };
    let config: Config = toml::from_slice(&bytes).map_err(|cause| ExportError::Config {
        path: archive.store().describe(CONFIG_FILE),
        cause,
    })?;
    Ok(config
        .archive
        .and_then(|a| a.title)
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty()))
}

/// The name an archive goes by (the site's masthead, the feeds' title): the title its
/// `quire.toml` gives it; else its one publication's; else, for several, a plain description
/// rather than their names run together, which would read as one publication's.
pub fn archive_title<'a>(
    configured: Option<&str>,
    publications: impl IntoIterator<Item = &'a str>,
) -> String {
    if let Some(title) = configured {
        return title.to_string();
    }
    let names: std::collections::BTreeSet<&str> = publications.into_iter().collect();
    match names.len() {
        0 => "quire archive".to_string(),
        1 => names.into_iter().next().unwrap_or_default().to_string(),
        n => format!("Archive of {n} publications"),
    }
}

/// Why no RSS feed is made without a base URL.
pub const RSS_NEEDS_A_URL: &str =
    "no RSS feed without --base-url: RSS readers need the absolute URLs of the files";

/// The catalog's id: from the URL it is served at when known (as it always was), else from
/// its publications (ISSN, else title, in order), which stay while the archive grows.
fn catalog_id(entries: &[FeedEntry], base_url: &str) -> String {
    let key = match base_url.is_empty() {
        false => base_url.to_string(),
        true => {
            let names: std::collections::BTreeSet<&str> = entries
                .iter()
                .map(|e| {
                    let publication = &e.issue.publication;
                    publication
                        .issn
                        .as_ref()
                        .map_or(publication.title.as_str(), |issn| issn.as_str())
                })
                .collect();
            names.into_iter().collect::<Vec<_>>().join("\n")
        }
    };
    format!(
        "urn:quire:catalog:{}",
        &crate::archive::DigestAlgorithm::Sha256.digest(key.as_bytes())[..16]
    )
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
    xml.text("id", &catalog_id(entries, base_url));
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
        if let Some(language) = issue.text_language() {
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

/// The RSS 2.0 feed of the latest issues (newest first); `base_url` is absolute (see
/// [`base_url`]): RSS has no relative links.
pub fn rss(entries: &[FeedEntry], base_url: &str, title: &str) -> Result<Vec<u8>, ExportError> {
    if base_url.is_empty() {
        return Err(ExportError::Input(RSS_NEEDS_A_URL.to_string()));
    }
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
    xml.text("link", base_url);
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
    fn an_archive_is_named_by_its_settings_its_one_publication_or_plainly_never_by_a_run_of_names()
    {
        let three = [
            "Big Test",
            "The Harbour Gazette",
            "Big Test",
            "Northshore Chronicle",
        ];
        assert_eq!(archive_title(None, three), "Archive of 3 publications");
        assert_eq!(archive_title(None, ["Big Test", "Big Test"]), "Big Test");
        assert_eq!(archive_title(None, []), "quire archive");
        assert_eq!(
            archive_title(Some("Harbour Library periodicals"), three),
            "Harbour Library periodicals"
        );
    }

    #[test]
    fn a_base_url_is_an_absolute_web_address_ending_in_a_slash() {
        assert_eq!(base_url("").unwrap(), "");
        assert_eq!(
            base_url("https://example.org/mag").unwrap(),
            "https://example.org/mag/"
        );
        assert_eq!(
            base_url("http://example.org/").unwrap(),
            "http://example.org/"
        );
        for refused in [
            "notaurl",
            "/issues/",
            "ftp://example.org/",
            "https://example.org/?a=1",
            "https://example.org/#top",
            "file:///srv/site/",
        ] {
            let error = base_url(refused).unwrap_err().to_string();
            assert!(error.starts_with(refused), "{error}");
        }
    }

    #[test]
    fn without_a_base_url_the_catalog_id_comes_from_the_publications_and_rss_is_refused() {
        let id = |entries: &[FeedEntry], base: &str| {
            let text = String::from_utf8(opds(entries, base, "T").unwrap()).unwrap();
            let start = text.find("<id>urn:quire:catalog:").unwrap();
            text[start..start + 44].to_string()
        };
        let (a, mut b) = (entry("A"), entry("B"));
        let alone = id(std::slice::from_ref(&a), "");
        assert_eq!(alone, id(&[a.clone(), b.clone()], ""));
        b.issue.publication.title = "Q".into();
        assert_ne!(alone, id(&[a.clone(), b.clone()], ""));
        assert_eq!(id(&[a.clone(), b.clone()], ""), id(&[b, a.clone()], ""));
        let empty = crate::archive::DigestAlgorithm::Sha256.digest(b"");
        assert!(!alone.contains(&empty[..16]));
        assert!(rss(&[a], "", "T").is_err());
    }

    #[test]
    fn the_rss_dates_keep_the_archives_offset() {
        let text =
            String::from_utf8(rss(&[entry("A")], "https://example.org/", "T").unwrap()).unwrap();
        assert!(
            text.contains("<pubDate>Fri, 15 Mar 2024 10:00:00 +0200</pubDate>"),
            "{text}"
        );
    }
}
