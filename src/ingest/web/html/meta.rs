//! What an HTML page says about its article besides the text: dates (JSON-LD, meta tags,
//! microdata, `<time datetime>`, publish-time fields in scripts, labelled date lines in Latin
//! or CJK script), the language it declares, its address and site, the deck, the authors, and
//! when a saved page was captured. Only what the page states is taken; nothing is guessed.

use super::super::{date_prefix, parse_date};
use super::byline::{is_name, split_byline};
use super::convert::clean;
use crate::model::{check_language, IsoDate};
use dom_query::{Document, NodeRef};
use serde_json::Value;

/// Labels of a date line that name the last update rather than the first publication.
const UPDATE_WORDS: [&str; 16] = [
    "updated",
    "modified",
    "mis à jour",
    "mise à jour",
    "actualizado",
    "actualización",
    "aktualisiert",
    "aggiornato",
    "aggiornamento",
    "atualizado",
    "bijgewerkt",
    "更新",
    "修改",
    "更新日",
    "最終更新",
    "수정",
];

/// What parts of a byline or date line are cut at (`By Ana Lopes | Published 12 March 2024`,
/// `김민수 기자 | 입력 2023.10.07 09:30`).
pub const PART_SEPARATORS: [char; 4] = ['|', '｜', '·', '•'];

/// Labels of a date line that name the publication.
const PUBLISH_WORDS: [&str; 20] = [
    "published",
    "posted",
    "publié",
    "publicado",
    "publicada",
    "pubblicato",
    "pubblicata",
    "veröffentlicht",
    "publiziert",
    "gepubliceerd",
    "publikováno",
    "发稿",
    "发布",
    "發布",
    "发表",
    "時間",
    "时间",
    "公開",
    "発行",
    "입력",
];

/// Labels of a line that names the author (`作者：王小明`).
const AUTHOR_LABELS: [&str; 4] = ["作者：", "作者:", "記者：", "记者："];

/// Meta tags (name, property or itemprop) that give the publication date.
const PUBLISHED_META: [&str; 11] = [
    "article:published_time",
    "datepublished",
    "date",
    "dc.date",
    "dcterms.date",
    "dc.date.issued",
    "dcterms.issued",
    "dcterms.created",
    "pubdate",
    "publishdate",
    "og:published_time",
];

/// Meta tags that give the last update.
const MODIFIED_META: [&str; 5] = [
    "article:modified_time",
    "datemodified",
    "dcterms.modified",
    "last-modified",
    "og:updated_time",
];

/// Script fields that hold the publication time (`var pubTime = "…"`, `"publishTime": …`).
const SCRIPT_FIELDS: [&str; 7] = [
    "pubtime",
    "publishtime",
    "publish_time",
    "pubdate",
    "publishdate",
    "datepublished",
    "firstpublished",
];

/// The page's own statements about its article.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Meta {
    pub published: Option<IsoDate>,
    pub updated: Option<IsoDate>,
    pub language: Option<String>,
    pub url: Option<String>,
    pub site_name: Option<String>,
    pub deck: Option<String>,
    pub authors: Vec<String>,
    /// The section the page files the article under (`article:section`, `articleSection`).
    pub section: Option<String>,
    /// When a saved page says it was captured (RFC 3339).
    pub captured: Option<String>,
    /// With no publication date found, a date line whose slash date the page's language leaves
    /// either day or month first (`Published 03/04/2025` in `en`): read as neither.
    pub unsettled_date: Option<String>,
}

/// The content of the first meta tag named (by `name`, `property` or `itemprop`) one of
/// `keys`, in the order of `keys`.
fn meta_content(document: &Document, keys: &[&str]) -> Option<String> {
    let metas = document.select("meta[content]");
    let metas = metas.nodes();
    keys.iter().find_map(|key| {
        metas.iter().find_map(|m| {
            let named = ["name", "property", "itemprop", "http-equiv"]
                .iter()
                .any(|a| m.attr(a).is_some_and(|v| v.eq_ignore_ascii_case(key)));
            named
                .then(|| m.attr("content").map(|c| clean(&c)))
                .flatten()
                .filter(|c| !c.is_empty())
        })
    })
}

/// The JSON-LD objects of the page (arrays and `@graph` flattened).
pub(super) fn json_ld(document: &Document) -> Vec<Value> {
    let mut objects = Vec::new();
    for script in document
        .select("script[type='application/ld+json']")
        .nodes()
    {
        let Ok(value) = serde_json::from_str::<Value>(script.text().trim()) else {
            continue;
        };
        let mut stack = vec![value];
        while let Some(value) = stack.pop() {
            match value {
                Value::Array(items) => stack.extend(items.into_iter().rev()),
                Value::Object(mut map) => {
                    if let Some(graph) = map.remove("@graph") {
                        stack.push(graph);
                    }
                    objects.push(Value::Object(map));
                }
                _ => {}
            }
        }
    }
    objects
}

fn is_article(value: &Value) -> bool {
    let kind = |t: &str| t.ends_with("Article") || t == "BlogPosting" || t == "Report";
    match &value["@type"] {
        Value::String(t) => kind(t),
        Value::Array(types) => types.iter().filter_map(Value::as_str).any(kind),
        _ => false,
    }
}

fn names(value: &Value) -> Vec<String> {
    match value {
        Value::String(name) => vec![clean(name)],
        Value::Object(map) => map
            .get("name")
            .and_then(Value::as_str)
            .map(|n| vec![clean(n)])
            .unwrap_or_default(),
        Value::Array(items) => items.iter().flat_map(names).collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|n| !n.is_empty())
    .collect()
}

/// The address a JSON-LD article gives of itself: its `url`, or the page it is the main
/// entity of (another node's `url`, the site's, is not the article's).
fn ld_address(article: &Value) -> Option<String> {
    let page = &article["mainEntityOfPage"];
    let address = article["url"]
        .as_str()
        .or_else(|| page.as_str())
        .or_else(|| page["@id"].as_str())
        .or_else(|| page["url"].as_str())?;
    Some(clean(address)).filter(|a| !a.is_empty())
}

/// Reads the page's metadata. `byline` is the byline readability found, for pages that give
/// no structured authors.
pub fn read(document: &Document, byline: Option<&str>) -> Meta {
    let byline = byline.filter(|b| in_article(document, b));
    let ld = json_ld(document);
    let article = ld.iter().find(|v| is_article(v));
    let ld_text = |key: &str| {
        article
            .and_then(|a| a[key].as_str())
            .or_else(|| ld.iter().find_map(|v| v[key].as_str()))
            .map(clean)
            .filter(|t| !t.is_empty())
    };
    let mut meta = Meta {
        published: ld_text("datePublished").as_deref().and_then(parse_date),
        updated: ld_text("dateModified").as_deref().and_then(parse_date),
        language: language(document, ld_text("inLanguage")),
        ..Meta::default()
    };
    meta.published = meta.published.or_else(|| {
        meta_content(document, &PUBLISHED_META)
            .as_deref()
            .and_then(parse_date)
    });
    meta.updated = meta.updated.or_else(|| {
        meta_content(document, &MODIFIED_META)
            .as_deref()
            .and_then(parse_date)
    });
    let (published, updated) = microdata_dates(document);
    meta.published = meta.published.or(published);
    meta.updated = meta.updated.or(updated);
    meta.published = meta.published.or_else(|| script_date(document));
    let (published, updated) = date_lines(document, meta.language.as_deref());
    meta.published = meta.published.or(published);
    meta.updated = meta.updated.or(updated);
    let (submitter, submitted) = submitted(document, meta.language.as_deref());
    meta.published = meta.published.or(submitted);
    meta.published = meta.published.or_else(|| classed_date(document));
    if meta.published.is_none() {
        meta.unsettled_date = unsettled_date_line(document, meta.language.as_deref());
    }
    let canonical = document
        .select("link[rel=canonical]")
        .attr("href")
        .map(|h| clean(&h));
    let og_url = meta_content(document, &["og:url"]);
    // A later page's canonical address is often the first page's; its og:url, when it names
    // the page, is its own.
    let own_page = og_url.clone().filter(|og| {
        let parse = |u: &str| url::Url::parse(u).ok();
        canonical
            .as_deref()
            .and_then(parse)
            .zip(parse(og))
            .is_some_and(|(c, o)| crate::ingest::web::stitch::later_page_of(&o, &c))
    });
    meta.url = own_page
        .or(canonical)
        .or(og_url)
        .or_else(|| article.and_then(ld_address))
        .or_else(|| saved_page(document, "url"))
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    meta.site_name = meta_content(document, &["og:site_name", "application-name"]).or_else(|| {
        article
            .and_then(|a| names(&a["publisher"]).into_iter().next())
            .filter(|n| !n.is_empty())
    });
    meta.deck = deck(document).or_else(|| ld_text("alternativeHeadline"));
    meta.authors = article
        .map(|a| names(&a["author"]))
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| byline.map(split_byline).unwrap_or_default());
    if let Some((shown, in_story)) = shown_byline(document) {
        // The page's byline names more than its structured data (`<meta name="author">`
        // giving the first of two authors), or names the authors it gave nowhere else, from
        // inside the article.
        let fuller = !meta.authors.is_empty()
            && meta.authors.iter().all(|a| shown.contains(a))
            && shown.len() > meta.authors.len();
        if fuller || meta.authors.is_empty() && in_story {
            meta.authors = shown;
        }
    }
    let publications = publications(document, meta.site_name.as_deref());
    meta.authors = people(meta.authors, &publications);
    if meta.authors.is_empty() {
        meta.authors = people(labelled_authors(document), &publications);
    }
    if meta.authors.is_empty() {
        meta.authors = people(submitter, &publications);
    }
    meta.section = section(document, article);
    meta.captured = saved_page(document, "saved date").and_then(|d| capture_time(&d));
    meta
}

/// News agencies and newspapers that bylines name in place of a reporter (`By Xinhua`).
const AGENCIES: [&str; 16] = [
    "xinhua",
    "xinhua news agency",
    "china daily",
    "global times",
    "reuters",
    "associated press",
    "ap",
    "afp",
    "agence france-presse",
    "yonhap",
    "kyodo",
    "kyodo news",
    "dpa",
    "pti",
    "bernama",
    "agencies",
];

/// The names of the publication a page is from, lower-cased: its site's name and the parts of
/// its `<title>` (`Global Times - Provinces post 2023 GDP figures`).
fn publications(document: &Document, site_name: Option<&str>) -> Vec<String> {
    let title = clean(&document.select("head title").text()).replace(" - ", " | ");
    site_name
        .into_iter()
        .chain(title.split(['|', '｜', '–', '—', '_']))
        .map(|n| n.trim().to_lowercase())
        .filter(|n| !n.is_empty())
        .collect()
}

/// Whether a name is a news agency's or a newspaper's that bylines give beside or in place
/// of a reporter (`China Daily`, `Xinhua`).
pub fn is_agency(name: &str) -> bool {
    AGENCIES.contains(&name.trim().to_lowercase().as_str())
}

/// The names of a byline that are people's: the publication's own name and news agencies'
/// (`By Global Times`, `By Xinhua`) are none.
fn people(names: Vec<String>, publications: &[String]) -> Vec<String> {
    names
        .into_iter()
        .filter(|n| {
            let lower = n.to_lowercase();
            !is_agency(n) && !publications.contains(&lower)
        })
        .collect()
}

/// The language the page declares: `<html lang>`, a Content-Language meta tag, `og:locale`
/// (`fr_FR` is `fr-FR`) or JSON-LD `inLanguage`, when it is a well-formed tag.
fn language(document: &Document, ld: Option<String>) -> Option<String> {
    let html_lang = document.select("html").attr("lang").map(|l| clean(&l));
    [
        html_lang,
        meta_content(document, &["content-language", "language", "dc.language"]),
        meta_content(document, &["og:locale"]),
        ld,
    ]
    .into_iter()
    .flatten()
    .map(|tag| tag.replace('_', "-"))
    .find(|tag| check_language(tag).is_ok())
}

/// `itemprop="datePublished"` / `"dateModified"` on any element, and otherwise the first
/// `<time datetime>` outside navigation and asides (`pubdate` or an update's itemprop say which
/// date it is).
fn microdata_dates(document: &Document) -> (Option<IsoDate>, Option<IsoDate>) {
    let value = |node: &NodeRef| {
        node.attr("content")
            .or_else(|| node.attr("datetime"))
            .map(|v| v.to_string())
            .unwrap_or_else(|| node.text().to_string())
    };
    let prop = |name: &str| {
        document
            .select(&format!("[itemprop={name}]"))
            .nodes()
            .iter()
            .filter(|n| !in_chrome(n))
            .find_map(|n| parse_date(&value(n)))
    };
    let mut published = prop("datePublished");
    let mut updated = prop("dateModified");
    for time in document.select("time[datetime]").nodes() {
        if in_chrome(time) {
            continue;
        }
        let Some(date) = time.attr("datetime").and_then(|d| parse_date(&d)) else {
            continue;
        };
        let modified = time
            .attr("itemprop")
            .is_some_and(|p| p.to_ascii_lowercase().contains("modified"))
            || time
                .attr("class")
                .is_some_and(|c| c.to_ascii_lowercase().contains("updated"));
        if modified {
            updated = updated.or(Some(date));
        } else if published.is_none() {
            published = Some(date);
        }
    }
    (published, updated)
}

/// A publish-time field in an inline script: `pubTime = "2024-05-03 10:20"`,
/// `"publishTime":"…"`.
fn script_date(document: &Document) -> Option<IsoDate> {
    for script in document.select("script").nodes() {
        if script.attr("src").is_some() {
            continue;
        }
        let text = script.text().to_string();
        let lower = text.to_ascii_lowercase();
        for field in SCRIPT_FIELDS {
            let mut from = 0;
            while let Some(at) = lower[from..].find(field) {
                let start = from + at + field.len();
                from = start;
                let rest = text[start..].trim_start_matches(['"', '\'', ' ']);
                let Some(rest) = rest.strip_prefix([':', '=']) else {
                    continue;
                };
                let rest = rest.trim_start_matches([' ', '"', '\'']);
                let value: String = rest
                    .chars()
                    .take_while(|c| !matches!(c, '"' | '\'' | ',' | ';' | '}' | '\n'))
                    .collect();
                if let Some(date) = parse_date(&value) {
                    return Some(date);
                }
            }
        }
    }
    None
}

/// The body's text but for other stories' and the site's furniture's (a related card's
/// `Posted …`, see [`in_chrome`]).
fn story_text(document: &Document) -> String {
    let body = document.select("body");
    let text = body
        .nodes()
        .iter()
        .flat_map(|b| b.descendants_it())
        .filter(|n| n.is_text() && !in_chrome(n))
        .map(|n| n.text().to_string());
    text.collect()
}

/// Labelled date lines in the page's text: `Updated: June 9, 2010`, `发稿时间：2024-05-03 10:20`.
fn date_lines(document: &Document, language: Option<&str>) -> (Option<IsoDate>, Option<IsoDate>) {
    let (mut published, mut updated) = (None, None);
    for part in date_parts(document) {
        match labelled_date(&part, language) {
            Some((date, true)) => updated = updated.or(Some(date)),
            Some((date, false)) => published = published.or(Some(date)),
            None => {}
        }
    }
    (published, updated)
}

/// The parts of the story's lines and short elements that may be a labelled date line.
fn date_parts(document: &Document) -> Vec<String> {
    let text = story_text(document);
    // Short elements too, whose text the body's runs on from the heading before them.
    let elements = document.select("body p, body div, body span, body li, body small");
    let short: Vec<String> = elements
        .nodes()
        .iter()
        .filter(|n| !in_chrome(n))
        .map(|n| clean(&n.text()))
        .filter(|t| t.chars().count() <= 120)
        .collect();
    // A line may be in parts: `By Helen Park | Published 12 March 2024`.
    text.lines()
        .chain(short.iter().map(String::as_str))
        .flat_map(|line| line.split(PART_SEPARATORS))
        .flat_map(|part| <[&str; 2]>::from(at_date_label(part.trim())))
        .map(str::to_string)
        .collect()
}

/// The first labelled date line whose date is written with slashes in an order the page's
/// language does not settle (`Published 03/04/2025` on an `en` page): the line's text.
fn unsettled_date_line(document: &Document, language: Option<&str>) -> Option<String> {
    date_parts(document).into_iter().find(|part| {
        date_labels(part).any(|(_, rest)| {
            let word = rest.split_whitespace().next().unwrap_or("");
            slash_readings(word, None).len() == 2 && slash_date(word, language).is_none()
        })
    })
}

/// The labels a date line may start with, and the text after each: the words before a colon
/// (`Last updated: June 9, 2010`), or a label word and the words that qualify it before it
/// (`Published 12 March 2024`, `First published on Mon 3 Mar 2025`, `Mis à jour le 4 mars`).
pub fn date_labels(part: &str) -> impl Iterator<Item = (String, &str)> {
    let colon = part
        .split_once([':', '：'])
        .map(|(label, rest)| (label.trim().to_lowercase(), rest))
        .filter(|(label, _)| label.chars().count() <= 20 && is_date_label(label));
    colon.into_iter().chain(word_label(part))
}

/// Words that go before a date label as part of it (`First published`, `Last updated`,
/// `Zuletzt aktualisiert`, `Última actualización`), and those of `mis à jour`.
const LABEL_WORDS: [&str; 13] = [
    "first",
    "last",
    "originally",
    "dernière",
    "última",
    "ultima",
    "ultimo",
    "zuletzt",
    "erstmals",
    "laatst",
    "mis",
    "mise",
    "à",
];

/// A date label at the start of `text` written without a colon, in lower case, and the text
/// after it: `Published 12 March 2024`, `First published on …`, `Mis à jour le …`.
pub fn word_label(text: &str) -> Option<(String, &str)> {
    let mut rest = text.trim_start();
    let mut label = String::new();
    for _ in 0..4 {
        let (word, after) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let word = word.to_lowercase();
        if !label.is_empty() {
            label.push(' ');
        }
        label.push_str(&word);
        rest = after.trim_start();
        if is_date_label(&label) {
            return Some((label, rest));
        }
        if !LABEL_WORDS.contains(&word.as_str()) {
            return None;
        }
    }
    None
}

/// Whether a date label names the last update rather than the publication.
pub fn is_update_label(label: &str) -> bool {
    let label = label.to_lowercase();
    UPDATE_WORDS.iter().any(|w| label.contains(w))
}

/// The date of a labelled date line, and whether it is the last update (`Updated: June 9,
/// 2010`) rather than the publication (`Published 12 March 2024`, `发稿时间：2024-05-03`).
fn labelled_date(part: &str, language: Option<&str>) -> Option<(IsoDate, bool)> {
    for (label, rest) in date_labels(part) {
        // The date may be followed by more on the line (a time, a source).
        let Some(date) = date_prefix(rest).or_else(|| slash_date(rest, language)) else {
            continue;
        };
        if is_update_label(&label) {
            return Some((date, true));
        }
        return PUBLISH_WORDS
            .iter()
            .any(|w| label.contains(w))
            .then_some((date, false));
    }
    None
}

/// Labels of the fields a date line may go on with (`来源：海港日报`, `作者：王小明`).
const LINE_FIELDS: [&str; 7] = ["来源", "來源", "作者", "记者", "記者", "编辑", "編輯"];

/// The date of a line that is a date and nothing else: with a label or not (`Updated: June 9,
/// 2010`, `Published 12 March 2024`, `March 4, 2025`), a time after it (`10:12`, `5:45 AM`,
/// `GMT`) and the page's fields beside it (`来源：海港日报`); and whether it is the last
/// update. A sentence that starts with a date (`March 4, 2024 was the last day`) is none.
pub fn whole_date_line(text: &str, language: Option<&str>) -> Option<(IsoDate, bool)> {
    let text = clean(text);
    let unlabelled = std::iter::once((String::new(), text.as_str()));
    let found = date_labels(&text)
        .chain(unlabelled)
        .find_map(|(label, rest)| {
            let date = whole_date(rest, language)?;
            Some((date, is_update_label(&label)))
        });
    found
}

/// The date of a text that is a date and nothing else, perhaps after `on` and before its time.
fn whole_date(text: &str, language: Option<&str>) -> Option<IsoDate> {
    let rest = text.trim_start_matches([':', ' ']);
    let rest = rest.strip_prefix("on ").unwrap_or(rest);
    let words: Vec<&str> = rest.split_whitespace().collect();
    let dated = (1..=words.len().min(5)).rev().find_map(|n| {
        let date = parse_date(&words[..n].join(" "))
            .or_else(|| (n <= 2).then(|| slash_date(&words[..n].join(" "), language))?)?;
        Some((date, n))
    });
    let (date, n) = dated?;
    words[n..].iter().all(|w| time_word(w)).then_some(date)
}

/// A word of the time after a date (`10:12`, `5.45`, `AM`, `a.m.`, `GMT+1`, `CET`, `-`, `at`),
/// a label written after it (`2024年4月1日 公開`) or a field beside it (`来源：海港日报`).
fn time_word(word: &str) -> bool {
    let lower = word.to_lowercase();
    let clock = word.chars().any(|c| c.is_ascii_digit())
        && word
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | 'h' | '+' | '-' | '(' | ')'));
    let zone = word.len() <= 5 && word.chars().all(|c| c.is_ascii_uppercase())
        || ["gmt", "utc"].iter().any(|z| lower.starts_with(z));
    let joiner = matches!(
        lower.as_str(),
        "-" | "–" | "—" | "@" | "at" | "à" | "um" | "uhr" | "am" | "pm" | "a.m." | "p.m."
    );
    clock
        || zone
        || joiner
        || SHARE_WORDS.contains(&lower.as_str())
        || is_date_label(word)
        || LINE_FIELDS.iter().any(|f| word.starts_with(f))
}

/// Words of a page's sharing, printing and type-size tools (`Adjust font size:`): after a date line (`Updated: 2024-03-04
/// 07:12 Share - WeChat`) or on a row of their own in a text capture (`分享到：`, `【字号 大 中
/// 小】`), chrome, not text.
pub const SHARE_WORDS: [&str; 26] = [
    "share",
    "share this",
    "share:",
    "print",
    "e-mail",
    "email",
    "wechat",
    "weibo",
    "facebook",
    "twitter",
    "linkedin",
    "whatsapp",
    "分享到",
    "分享",
    "打印",
    "微信",
    "微博",
    "收藏",
    "字号",
    "共享",
    "シェア",
    "공유",
    "adjust",
    "font",
    "size",
    "size:",
];

/// `6 min read`, `12 minute read`.
pub fn reading_time(text: &str) -> bool {
    let lower = text.to_lowercase();
    let mut words = lower.split_whitespace();
    let number = words.next().is_some_and(|n| n.parse::<u32>().is_ok());
    let rest: Vec<&str> = words.collect();
    number
        && matches!(
            rest.as_slice(),
            ["min" | "mins" | "minute" | "minutes", "read"] | ["min." | "minutes", "reading"]
        )
}

/// A line that starts with a date, or with a label and a date (`Posted: 6 May 2024`,
/// `Updated 7 May 2024`, `发稿时间：2024-05-03 10:20 来源：海港日报`).
pub fn date_line(text: &str) -> bool {
    let rest = match text.split_once([':', '：']) {
        Some((label, rest)) if label.chars().count() <= 20 => rest,
        _ => text,
    };
    let after_word = word_label(text).map(|(_, rest)| rest);
    date_prefix(rest).is_some()
        || date_prefix(text).is_some()
        || after_word.is_some_and(|rest| date_prefix(rest).is_some())
}

/// A part of a line cut where a labelled date begins after other words (`By Global Times
/// Published: Jan 30, 2024` is `By Global Times` and `Published: Jan 30, 2024`); the whole
/// part and nothing when it has none or starts with it.
pub fn at_date_label(part: &str) -> (&str, &str) {
    for (at, _) in part.match_indices(char::is_whitespace) {
        let rest = part[at..].trim_start();
        if word_label(rest).is_some() && date_line(rest) {
            return (part[..at].trim_end(), rest);
        }
    }
    (part, "")
}

/// A word that labels a date line (`Published`, `Updated`, `发稿时间`).
pub fn is_date_label(word: &str) -> bool {
    let word = word.to_lowercase();
    UPDATE_WORDS
        .iter()
        .chain(&PUBLISH_WORDS)
        .any(|w| word.contains(w))
}

/// The date an element marked as the page's date gives, unlabelled
/// (`<span class="time">2024-05-06 10:20:15</span>`, `<div class="pubdate">`): the first such
/// element outside navigation, and not marked as the update, whose short text starts with a
/// date.
fn classed_date(document: &Document) -> Option<IsoDate> {
    let marked = document.select(
        "[class*=time], [class*=date], [class*=publish], [id*=time], [id*=date], [id*=publish]",
    );
    let found = marked.nodes().iter().find_map(|node| {
        // `class="updated"` names the last update, not the publication.
        let update = ["class", "id"].iter().any(|a| {
            node.attr(a).is_some_and(|v| {
                let v = v.to_ascii_lowercase();
                v.contains("updat") || v.contains("modif")
            })
        });
        let text = clean(&node.text());
        (!in_chrome(node) && !update && text.chars().count() <= 60)
            .then(|| date_prefix(&text))
            .flatten()
    });
    found
}

/// The authors a labelled line names (`作者：王小明`), in the order met.
fn labelled_authors(document: &Document) -> Vec<String> {
    let text = story_text(document);
    let mut authors: Vec<String> = Vec::new();
    for line in text.lines().filter(|l| l.chars().count() <= 100) {
        for label in AUTHOR_LABELS {
            let Some(at) = line.find(label) else {
                continue;
            };
            let name: String = line[at + label.len()..]
                .trim_start()
                .chars()
                .take_while(|c| !c.is_whitespace() && !"（）()，,、；;|".contains(*c))
                .collect();
            if !name.is_empty() && !authors.contains(&name) {
                authors.push(name);
            }
        }
    }
    authors
}

/// A field of the comment a page saver leaves (SingleFile: `url: …`, `saved date: …`).
fn saved_page(document: &Document, field: &str) -> Option<String> {
    let html = document.html().to_string();
    let start = html.find("Page saved with SingleFile")?;
    let end = html[start..].find("-->").map(|e| start + e)?;
    html[start..end].lines().find_map(|line| {
        line.trim()
            .strip_prefix(field)
            .and_then(|rest| rest.trim_start().strip_prefix(':'))
            .map(|v| v.trim().to_string())
    })
}

/// A capture time as RFC 3339 (UTC), from RFC 3339, RFC 2822 or a JavaScript date string
/// (`Tue Mar 16 2021 10:00:00 GMT+0000 (Coordinated Universal Time)`).
pub fn capture_time(text: &str) -> Option<String> {
    let text = text.trim();
    let parsed = chrono::DateTime::parse_from_rfc3339(text)
        .or_else(|_| chrono::DateTime::parse_from_rfc2822(text))
        .or_else(|_| {
            let js = text.split(" (").next().unwrap_or(text).replace("GMT", "");
            chrono::DateTime::parse_from_str(js.trim(), "%a %b %d %Y %H:%M:%S %z")
        })
        .ok()?;
    Some(
        parsed
            .with_timezone(&chrono::Utc)
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
    )
}

/// The deck: an element the page marks as one (a standfirst, a subtitle), near the title.
fn deck(document: &Document) -> Option<String> {
    let marked = document.select(
        "[itemprop=alternativeHeadline], [class*=standfirst], [class*=deck], [class*=dek], [class*=subtitle], [class*=subhead], [class*=strapline], [class~=summary], \
         [class*=article-excerpt], [class~=chapo], [class*=chapeau], [class*=subtitulo], [class*=entradilla], [class*=sottotitolo], [class*=untertitel], [class*=vorspann]",
    );
    let found = marked.nodes().iter().find_map(|n| {
        let text = clean(&n.text());
        let words = text.split_whitespace().count();
        ((2..=60).contains(&words) && !in_chrome(n)).then_some(text)
    });
    found
}

/// Class and id names of a block that holds readers' comments (WordPress's `comments-area`
/// and `commentlist`, Disqus's thread), or of a part of one.
const COMMENT_BLOCKS: [&str; 20] = [
    "comments",
    "comment-list",
    "comments-list",
    "commentlist",
    "comments-area",
    "comment-section",
    "comments-section",
    "comments-container",
    "comment-thread",
    "comments-thread",
    "comment-respond",
    "comment-author",
    "comment-body",
    "comment-content",
    "comment-meta",
    "comments-title",
    "disqus_thread",
    "reader-comments",
    "readers-comments",
    "user-comments",
];

/// Whether a class or id names readers' comments (`comments-area`, `commentlist`): one of
/// its words is such a name, exactly. A post's category or tag (`category-comment`), its state
/// (`comments-open`) or text that takes comments (`commentable`) names none.
fn names_comments(value: &str) -> bool {
    value
        .split_whitespace()
        .any(|word| COMMENT_BLOCKS.contains(&word.to_ascii_lowercase().as_str()))
}

/// Headings of readers' comments (`3 comments`, `Leave a reply`), their numbers and marks
/// left out.
const COMMENT_HEADINGS: [&str; 11] = [
    "comment",
    "comments",
    "leave a comment",
    "leave a reply",
    "post a comment",
    "add a comment",
    "join the discussion",
    "reader comments",
    "readers comments",
    "readers comment",
    "user comments",
];

/// Whether a heading or label names readers' comments (`Comments`, `12 comments`, `Leave a
/// reply`), not a subject (`Public comment`).
fn heads_comments(text: &str) -> bool {
    let words: String = text
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_numeric() && !matches!(c, '(' | ')' | '\'' | '’' | ':' | '.'))
        .collect();
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    COMMENT_HEADINGS.contains(&words.as_str())
}

/// A `section` of user comments the page marks by its label or heading alone (`aria-label="User
/// comments"`, `<h2>12 comments</h2>`), with no text of the article after it.
fn comments_section(node: &NodeRef) -> bool {
    let is_section = node.node_name().is_some_and(|n| &*n == "section");
    let heading = node.element_children().into_iter().find(|c| {
        c.node_name()
            .is_some_and(|n| matches!(&*n, "h2" | "h3" | "h4"))
    });
    let text_after = std::iter::successors(node.next_element_sibling(), |n| {
        n.next_element_sibling()
    })
    .any(|n| n.node_name().is_some_and(|name| &*name == "p") && !clean(&n.text()).is_empty());
    is_section
        && !text_after
        && (node.attr("aria-label").is_some_and(|l| heads_comments(&l))
            || heading.is_some_and(|h| heads_comments(&h.text())))
}

/// Whether an element is one reader's comment (`<article class="comment">`,
/// `itemprop="comment"`) or a block of them.
fn is_comment(node: &NodeRef) -> bool {
    let class = node.attr("class").unwrap_or_default().to_ascii_lowercase();
    class.split_whitespace().any(|w| w == "comment")
        || names_comments(&class)
        || node
            .attr("itemprop")
            .is_some_and(|v| v.eq_ignore_ascii_case("comment"))
}

/// The words of a node's paragraphs that are not in a reader's comment inside it.
fn paragraph_words(node: &NodeRef) -> usize {
    let in_comment = |p: &NodeRef| {
        p.ancestors(None)
            .iter()
            .take_while(|a| a.id != node.id)
            .any(is_comment)
    };
    node.descendants_it()
        .filter(|d| d.node_name().is_some_and(|n| &*n == "p"))
        .filter(|p| !in_comment(p))
        .map(|p| p.text().split_whitespace().count())
        .sum()
}

/// Removes the readers' comments from a page (a block whose class or id names comments,
/// `itemprop=comment`), so that no commenter is taken for the author, no comment's date for
/// the article's and no comment for its text; returns how many words they held. A block that
/// holds the article's heading or most of the page's paragraph words is not a comment.
pub fn drop_comments(document: &Document) -> usize {
    let mut words = 0;
    let page_words = document
        .select("body")
        .nodes()
        .first()
        .map(paragraph_words)
        .unwrap_or_default();
    let marked = document.select("[class], [id], [itemprop], section");
    for node in marked.nodes() {
        let named = ["class", "id"]
            .iter()
            .any(|a| node.attr(a).is_some_and(|v| names_comments(&v)))
            || node
                .attr("itemprop")
                .is_some_and(|v| v.eq_ignore_ascii_case("comment"))
            || comments_section(node);
        let structural = node.node_name().is_some_and(|n| {
            matches!(
                n.to_ascii_lowercase().as_str(),
                "html" | "body" | "main" | "head"
            )
        });
        let holds_article = node.descendants_it().any(|d| {
            let article = d.node_name().is_some_and(|n| &*n == "article") && !is_comment(&d);
            article
                || d.node_name().is_some_and(|n| &*n == "h1")
                || d.attr("itemprop").is_some_and(|p| &*p == "articleBody")
        }) || 2 * paragraph_words(node) > page_words;
        // Inside a block already removed, or not a comment.
        let detached = !node
            .ancestors(None)
            .iter()
            .any(|a| a.node_name().is_some_and(|n| &*n == "html"));
        if named && !structural && !holds_article && !detached {
            words += clean(&node.text()).split_whitespace().count();
            node.remove_from_parent();
        }
    }
    words
}

/// Drupal's `Submitted by <span>NAME</span> on Tue, 03/04/2025 - 06:30`: its author and date.
fn submitted(document: &Document, language: Option<&str>) -> (Vec<String>, Option<IsoDate>) {
    let found = document
        .select("[class*=submitted]")
        .nodes()
        .iter()
        .find_map(|node| {
            let text = clean(&node.text());
            let rest = text
                .get(..13)
                .filter(|p| p.eq_ignore_ascii_case("submitted by "))
                .map(|_| &text[13..])?;
            let (name, date) = rest.rsplit_once(" on ").unwrap_or((rest, ""));
            let date = date_prefix(date).or_else(|| slash_date(date, language));
            Some((split_byline(name), date))
        });
    found.unwrap_or_default()
}

/// A date written with slashes (`03/04/2025`, `Tue, 03/04/2025 - 06:30`), read as day/month or
/// month/day only where the page settles which: one reading is not a date, the weekday given
/// fits one reading, or the page's language is one that writes month first (`en-US`) or day
/// first (`en-GB`, `fr`; see [`slash_order`]). Otherwise no date.
pub fn slash_date(text: &str, language: Option<&str>) -> Option<IsoDate> {
    let mut words = text.split_whitespace().map(|w| w.trim_end_matches(','));
    let mut word = words.next()?;
    let weekday = word.parse::<chrono::Weekday>().ok();
    if weekday.is_some() {
        word = words.next()?;
    }
    let readings = slash_readings(word, weekday);
    let date = match readings.as_slice() {
        [one] => *one,
        [month_first, day_first] if month_first == day_first => *month_first,
        [month_first, day_first] => match slash_order(language?)? {
            SlashOrder::MonthFirst => *month_first,
            SlashOrder::DayFirst => *day_first,
        },
        _ => return None,
    };
    date.format("%Y-%m-%d").to_string().parse().ok()
}

/// The dates a word written with slashes (`03/04/2025`) can be, month first and then day
/// first, that fall on `weekday` where one is given.
fn slash_readings(word: &str, weekday: Option<chrono::Weekday>) -> Vec<chrono::NaiveDate> {
    let numbers: Vec<&str> = word.split('/').collect();
    let [a, b, year] = numbers.as_slice() else {
        return Vec::new();
    };
    let (Ok(a), Ok(b), Ok(year)) = (a.parse(), b.parse(), year.parse()) else {
        return Vec::new();
    };
    if numbers[2].len() != 4 {
        return Vec::new();
    }
    [(a, b), (b, a)]
        .into_iter()
        .filter_map(|(month, day)| chrono::NaiveDate::from_ymd_opt(year, month, day))
        .filter(|d| weekday.is_none_or(|w| chrono::Datelike::weekday(d) == w))
        .collect()
}

/// Which number of a slash date a language writes first.
enum SlashOrder {
    MonthFirst,
    DayFirst,
}

/// English as written where the day comes first (`25/12/2024`).
const DAY_FIRST_ENGLISH: [&str; 6] = ["gb", "au", "nz", "ie", "in", "za"];

/// Languages that write the day first (`25/12/2024`) wherever they are written.
const DAY_FIRST: [&str; 36] = [
    "fr", "de", "es", "it", "pt", "nl", "ru", "pl", "cs", "sk", "da", "nb", "nn", "no", "fi", "el",
    "tr", "ro", "uk", "bg", "hr", "sr", "sl", "ca", "gl", "eu", "id", "ms", "vi", "ar", "he", "ga",
    "cy", "is", "et", "lb",
];

/// The order a page's language writes a slash date in: month first in American English, day
/// first in British, Australian, Irish, Indian, South African and New Zealand English and in
/// the languages of [`DAY_FIRST`]; none for English of no region or another, or a language
/// that writes years first (`zh`, `ja`, `ko`).
fn slash_order(language: &str) -> Option<SlashOrder> {
    let language = language.to_ascii_lowercase();
    let mut parts = language.split('-');
    let primary = parts.next()?;
    let region = parts.find(|p| p.len() == 2);
    match (primary, region) {
        ("en", Some("us" | "ph")) => Some(SlashOrder::MonthFirst),
        ("en", Some(region)) if DAY_FIRST_ENGLISH.contains(&region) => Some(SlashOrder::DayFirst),
        (primary, _) if DAY_FIRST.contains(&primary) => Some(SlashOrder::DayFirst),
        _ => None,
    }
}

/// The authors the page's byline shows (an element marked as the byline or the author),
/// outside navigation, asides and other stories; and whether it is inside an `<article>`,
/// `<main>` or the article's body.
fn shown_byline(document: &Document) -> Option<(Vec<String>, bool)> {
    let marked =
        document.select("[class*=byline], [rel=author], [class~=author], [class~=authors], [class~=auteur], [class~=autor], [class~=autore], [class~=autorin]");
    let found = marked.nodes().iter().find_map(|node| {
        let text = clean(&node.text());
        let names = split_byline(&text);
        let all_names = !names.is_empty() && names.iter().all(|n| is_name(n));
        let in_story = node.ancestors(None).iter().any(|a| {
            a.node_name()
                .is_some_and(|n| matches!(&*n, "article" | "main"))
                || a.attr("itemprop").is_some_and(|p| &*p == "articleBody")
        });
        (!in_chrome(node) && text.chars().count() <= 160 && all_names).then_some((names, in_story))
    });
    found
}

/// Words of a class or id that name a block of other stories or the site's furniture
/// (`related`, `more-stories`, `card`, `sidebar-promo`).
const CHROME_WORDS: [&str; 14] = [
    "related",
    "more",
    "teaser",
    "teasers",
    "card",
    "cards",
    "promo",
    "promos",
    "recommended",
    "recommendations",
    "sidebar",
    "aside",
    "nav",
    "footer",
];

/// Whether the page shows a text (the byline readability found) outside other stories and
/// the site's furniture, or nowhere as one element's text.
fn in_article(document: &Document, text: &str) -> bool {
    let text = clean(text);
    let nodes = document.select("body *");
    let showing: Vec<&NodeRef> = nodes
        .nodes()
        .iter()
        .filter(|n| clean(&n.text()) == text)
        .collect();
    showing.is_empty() || showing.iter().any(|n| !in_chrome(n))
}

/// Whether a node is in the site's navigation, an aside, a footer or a block of other
/// stories (related, recommended, a card, a promo, a sidebar).
pub(super) fn in_chrome(node: &NodeRef) -> bool {
    node.ancestors(None).iter().any(|a| {
        let named = a
            .node_name()
            .is_some_and(|n| matches!(n.to_ascii_lowercase().as_str(), "nav" | "aside" | "footer"));
        let classed = ["class", "id"].iter().any(|attr| {
            a.attr(attr).is_some_and(|v| {
                v.to_ascii_lowercase()
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .any(|w| CHROME_WORDS.contains(&w))
            })
        });
        named || classed
    })
}

/// Classes of an element that labels the article with its section (`<span class="category">`,
/// a kicker, Drupal's section field; French `rubrique`, Spanish `seccion`, Italian `sezione`,
/// German `Rubrik` and `Ressort`).
const SECTION_LABELS: &str = "[itemprop=articleSection], [class*=field--name-field-section], [class~=category], [class~=kicker], [class~=eyebrow], [class~=section-label], \
     [class~=rubrique], [class~=seccion], [class~=sezione], [class~=rubrik], [class~=ressort]";

/// The section the page files its article under: `article:section`, JSON-LD `articleSection`,
/// or a short label the page marks as the section inside the article (not the navigation's).
fn section(document: &Document, article: Option<&Value>) -> Option<String> {
    let ld = article.and_then(|a| match &a["articleSection"] {
        Value::String(s) => Some(clean(s)),
        Value::Array(items) => items.iter().find_map(Value::as_str).map(clean),
        _ => None,
    });
    let labelled = || {
        let marked = document.select(SECTION_LABELS);
        let found = marked.nodes().iter().find_map(|node| {
            let text = clean(&node.text());
            let words = text.split_whitespace().count();
            ((1..=4).contains(&words) && text.chars().count() <= 40 && !in_chrome(node))
                .then_some(text)
        });
        found
    };
    meta_content(document, &["article:section"])
        .or(ld)
        .filter(|s| !s.is_empty())
        .or_else(labelled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_accepts_only;

    fn page(head: &str, body: &str) -> Meta {
        read(
            &Document::from(format!(
                "<html><head>{head}</head><body>{body}</body></html>"
            )),
            None,
        )
    }

    fn iso(date: Option<IsoDate>) -> Option<String> {
        date.map(|d| d.to_string())
    }

    #[test]
    fn the_address_is_the_json_ld_article_s_own_not_the_site_s_beside_it_in_the_graph() {
        let graph = |article: &str| {
            page(
                &format!(
                    "<script type=\"application/ld+json\">{{\"@graph\":[\
                     {{\"@type\":\"WebSite\",\"url\":\"https://courier.example/\"}},\
                     {{\"@type\":\"NewsArticle\",\"headline\":\"Levee\"{article}}}]}}</script>"
                ),
                "",
            )
            .url
        };
        assert_eq!(graph(""), None);
        assert_eq!(
            graph(",\"mainEntityOfPage\":{\"@type\":\"WebPage\",\"@id\":\"https://courier.example/levee\"}")
                .as_deref(),
            Some("https://courier.example/levee")
        );
        assert_eq!(
            graph(",\"url\":\"https://courier.example/levee-2\"").as_deref(),
            Some("https://courier.example/levee-2")
        );
    }

    #[test]
    fn a_french_or_spanish_page_s_section_label_and_standfirst_are_read() {
        let french = page(
            "",
            "<article><span class=\"rubrique\">Société</span><h1>Le retour des vignes</h1>\
             <p class=\"chapo\">La viticulture renaît sur les coteaux du Morbihan.</p></article>",
        );
        assert_eq!(french.section.as_deref(), Some("Société"));
        assert_eq!(
            french.deck.as_deref(),
            Some("La viticulture renaît sur les coteaux du Morbihan.")
        );
        let spanish = page(
            "",
            "<article><div class=\"seccion\">Cultura</div><h1>La última librería</h1>\
             <h2 class=\"subtitulo\">Después de 94 años, la librería cierra sus puertas.</h2></article>",
        );
        assert_eq!(spanish.section.as_deref(), Some("Cultura"));
        assert!(spanish
            .deck
            .is_some_and(|d| d.starts_with("Después de 94 años")));
        let dated = page(
            "<meta http-equiv=\"content-language\" content=\"fr\">",
            "<article><h1>Le retour des vignes</h1><p class=\"auteur\">Par Claire Le Goff, \
             envoyée spéciale à Sarzeau</p><p class=\"date\">Publié le 3 mars 2025 à 07h15</p>\
             <p>Aktualisiert am 4. März 2025</p></article>",
        );
        assert_eq!(iso(dated.published).as_deref(), Some("2025-03-03"));
        assert_eq!(iso(dated.updated).as_deref(), Some("2025-03-04"));
        assert_eq!(dated.authors, ["Claire Le Goff"]);
    }

    #[test]
    fn dates_come_from_time_elements_microdata_meta_tags_scripts_and_date_lines() {
        let cases = [
            ("", "<article><time datetime=\"2024-05-03T10:00:00+02:00\">3 May</time></article>"),
            ("", "<span itemprop=\"datePublished\" content=\"2024-05-03\">May 3</span>"),
            ("<meta name=\"date\" content=\"2024-05-03\">", ""),
            ("<script>var pubTime = \"2024-05-03 10:20:00\";</script>", ""),
            ("", "<p>发稿时间：2024-05-03 10:20 来源：新华社</p>"),
            ("", "<div>发布时间：2024年05月03日 10:20</div>"),
            (
                "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\":\"2024-05-03\"}</script>",
                "",
            ),
        ];
        for (head, body) in cases {
            let meta = page(head, body);
            assert_eq!(
                iso(meta.published).as_deref(),
                Some("2024-05-03"),
                "{head}{body}"
            );
        }
        let meta = page(
            "",
            "<nav><time datetime=\"2020-01-01\">old</time></nav><time datetime=\"2024-05-03\">x</time><time itemprop=\"dateModified\" datetime=\"2024-05-04\">y</time>",
        );
        assert_eq!(
            (iso(meta.published).as_deref(), iso(meta.updated).as_deref()),
            (Some("2024-05-03"), Some("2024-05-04"))
        );
    }

    #[test]
    fn the_language_is_what_the_page_declares_and_nothing_else() {
        let lang = |html: &str| read(&Document::from(html), None).language;
        assert_eq!(
            lang("<html lang=\"fr\"><body>x</body></html>").as_deref(),
            Some("fr")
        );
        assert_eq!(
            lang("<html><head><meta property=\"og:locale\" content=\"de_DE\"></head></html>")
                .as_deref(),
            Some("de-DE")
        );
        assert_eq!(
            lang("<html><head><meta http-equiv=\"content-language\" content=\"cs\"></head></html>")
                .as_deref(),
            Some("cs")
        );
        // French words, but no declaration: no language.
        assert_eq!(
            lang("<html><body><p>Le chat est sur la table.</p></body></html>"),
            None
        );
        assert_eq!(lang("<html lang=\"not a tag\"></html>"), None);
    }

    #[test]
    fn a_slash_date_is_read_only_where_the_page_settles_day_or_month() {
        let date = |text: &str, language: Option<&str>| iso(slash_date(text, language));
        assert_eq!(
            date("Tue, 03/04/2025 - 06:30", Some("en")).as_deref(),
            Some("2025-03-04")
        );
        assert_eq!(date("Thu, 03/04/2025", None).as_deref(), Some("2025-04-03"));
        assert_eq!(
            date("03/04/2025", Some("en-US")).as_deref(),
            Some("2025-03-04")
        );
        assert_eq!(
            date("03/04/2025", Some("en-GB")).as_deref(),
            Some("2025-04-03")
        );
        assert_eq!(
            date("03/04/2025", Some("fr")).as_deref(),
            Some("2025-04-03")
        );
        assert_eq!(date("25/12/2024", None).as_deref(), Some("2024-12-25"));
        assert_eq!(date("03/04/2025", Some("en")), None);
        // English of another region, and languages that write the year first, settle nothing.
        for language in ["en-CA", "en-XX", "zh-CN", "ja", "ko-KR"] {
            assert_eq!(date("03/04/2025", Some(language)), None, "{language}");
        }
        assert_eq!(
            date("03/04/2025", Some("de-AT")).as_deref(),
            Some("2025-04-03")
        );
        assert_eq!(date("03/04/2025", None), None);
        assert_eq!(date("Mon, 03/04/2025", None), None);
    }

    #[test]
    fn the_section_comes_from_meta_tags_json_ld_or_a_label_in_the_article() {
        let section = |head: &str, body: &str| page(head, body).section;
        assert_eq!(
            section("<meta property=\"article:section\" content=\"Sport\">", "").as_deref(),
            Some("Sport")
        );
        assert_eq!(
            section(
                "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"articleSection\":[\"Science\",\"Space\"]}</script>",
                ""
            )
            .as_deref(),
            Some("Science")
        );
        assert_eq!(
            section(
                "",
                "<article><span class=\"category\">Travel</span><p>x</p></article>"
            )
            .as_deref(),
            Some("Travel")
        );
        // The navigation's categories are not the article's.
        assert_eq!(
            section("", "<nav><span class=\"category\">Travel</span></nav>"),
            None
        );
    }

    #[test]
    fn a_comment_s_author_and_date_are_not_the_article_s() {
        let html = "<html><head><meta name=\"dcterms.date\" content=\"2025-03-04\"></head><body><article><h1>T</h1><p>Text.</p></article><section class=\"comments\"><div class=\"comment\"><p class=\"comment-author\">Bill</p><time datetime=\"2019-11-02\">2 Nov</time></div></section></body></html>";
        let document = Document::from(html);
        assert!(drop_comments(&document) > 0);
        let meta = read(&document, None);
        assert_eq!(iso(meta.published).as_deref(), Some("2025-03-04"));
        assert!(meta.authors.is_empty());
        // A section headed as comments is comments; a post open to comments is not.
        let document = Document::from("<body><article class=\"post comments-open\"><h2>T</h2><p>Text.</p></article><section><h2>12 Comments</h2><p>Nice.</p></section></body>");
        drop_comments(&document);
        assert_eq!(clean(&document.select("body").text()), "TText.");
        // Commentary is not comments.
        let document =
            Document::from("<body><div class=\"commentary\"><p>Opinion.</p></div></body>");
        assert_eq!(drop_comments(&document), 0);
    }

    #[test]
    fn a_date_line_is_a_whole_line_of_date_and_a_sentence_that_starts_with_one_is_not() {
        let line =
            |text: &str| whole_date_line(text, Some("en-US")).map(|(d, u)| (d.to_string(), u));
        let date = |iso: &str, update| Some((iso.to_string(), update));
        assert_eq!(line("March 4, 2025"), date("2025-03-04", false));
        assert_eq!(line("Updated: 2025-03-04 10:12"), date("2025-03-04", true));
        assert_eq!(
            line("Published March 4, 2025 5:45 AM"),
            date("2025-03-04", false)
        );
        assert_eq!(line("Posted on 03/04/2025"), date("2025-03-04", false));
        assert_eq!(
            line("发稿时间：2024-05-03 10:20 来源：海港日报"),
            date("2024-05-03", false)
        );
        assert_eq!(line("March 4, 2024 was the last day the ferry ran."), None);
        assert_eq!(line("12/25/2024 is the day the last ferry sailed."), None);
        assert_eq!(line("June 1, 2023 — the pier is closed."), None);
    }

    #[test]
    fn a_marked_byline_names_the_authors_only_inside_the_article() {
        let authors = |body: &str| page("", body).authors;
        assert_eq!(
            authors("<article><p class=\"byline\">Ana Lopes</p><p>Text.</p></article>"),
            ["Ana Lopes"]
        );
        // Another story's byline below the article, and one in a card of related stories.
        assert!(authors("<article><p>Text.</p></article><div class=\"list\"><p class=\"byline\">Owen Pryce</p></div>").is_empty());
        assert!(authors("<article><p>Text.</p><div class=\"related\"><p class=\"byline\">Owen Pryce</p></div></article>").is_empty());
    }

    #[test]
    fn only_blocks_named_as_readers_comments_are_comments() {
        assert_accepts_only(
            names_comments,
            &["comments", "comments-area", "commentlist", "disqus_thread"],
            &[
                "category-comment",
                "tag-comments",
                "commentable",
                "comments-open",
                "commentary",
            ],
        );
        for heading in [
            "Comments",
            "3 comments",
            "Leave a Reply",
            "Join the discussion",
            "Readers' comments",
        ] {
            assert!(heads_comments(heading), "{heading}");
        }
        assert!(!heads_comments("Public comment"));
        assert!(!heads_comments("No comment"));
    }

    #[test]
    fn the_address_and_capture_time_of_a_saved_page() {
        let meta = read(
            &Document::from(
                "<!DOCTYPE html><html><!--\n Page saved with SingleFile \n url: https://example.org/a \n saved date: Tue Mar 16 2021 10:00:00 GMT+0000 (Coordinated Universal Time)\n--><head></head><body></body></html>",
            ),
            None,
        );
        assert_eq!(meta.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(meta.captured.as_deref(), Some("2021-03-16T10:00:00Z"));
    }
}
