//! Embedded players (a video or a sound, a video site's or a podcast host's frame, AMP's
//! players, a WordPress embed) and other frames in the article's text (a map, a chart, a
//! post) turned into links where they stood, before readability runs: it drops most frames,
//! and a Markdown body plays nothing. A reader of the archive still finds where each stood and
//! what it was. Advertising and tracking frames are not the article's, and go.

use super::convert::{attr_has, clean};
use crate::model::body::xhtml::escape;
use dom_query::{Document, NodeRef};

/// Elements that embed media or another page.
const EMBEDS: [&str; 10] = [
    "iframe",
    "embed",
    "object",
    "video",
    "audio",
    "amp-video",
    "amp-audio",
    "amp-youtube",
    "amp-vimeo",
    "amp-iframe",
];

/// Hosts of video players (each host or a host under it).
const VIDEO_HOSTS: [&str; 21] = [
    "youtube.com",
    "youtube-nocookie.com",
    "youtu.be",
    "vimeo.com",
    "dailymotion.com",
    "dai.ly",
    "twitch.tv",
    "ted.com",
    "brightcove.net",
    "jwplayer.com",
    "jwplatform.com",
    "wistia.com",
    "wistia.net",
    "vidyard.com",
    "streamable.com",
    "bilibili.com",
    "v.qq.com",
    "youku.com",
    "iqiyi.com",
    "ixigua.com",
    "cctv.com",
];

/// Hosts of sound players: podcast hosts and music services.
const AUDIO_HOSTS: [&str; 19] = [
    "soundcloud.com",
    "spotify.com",
    "anchor.fm",
    "podcasts.apple.com",
    "buzzsprout.com",
    "libsyn.com",
    "simplecast.com",
    "megaphone.fm",
    "omny.fm",
    "podbean.com",
    "spreaker.com",
    "acast.com",
    "art19.com",
    "audioboom.com",
    "transistor.fm",
    "mixcloud.com",
    "bandcamp.com",
    "ximalaya.com",
    "music.163.com",
];

/// Hosts of advertising and tracking.
const AD_HOSTS: [&str; 16] = [
    "doubleclick.net",
    "googlesyndication.com",
    "googleadservices.com",
    "adservice.google.com",
    "googletagmanager.com",
    "google-analytics.com",
    "amazon-adsystem.com",
    "adnxs.com",
    "taboola.com",
    "outbrain.com",
    "criteo.com",
    "criteo.net",
    "scorecardresearch.com",
    "moatads.com",
    "pubmatic.com",
    "rubiconproject.com",
];

/// Words of a class, id or name that mark an advertisement's or a tracker's slot.
const AD_WORDS: [&str; 11] = [
    "ad",
    "ads",
    "advert",
    "advertisement",
    "advertising",
    "sponsored",
    "gpt",
    "dfp",
    "doubleclick",
    "googlesyndication",
    "tracking",
];

/// File endings of video and of sound.
const VIDEO_FILES: [&str; 5] = [".mp4", ".webm", ".mov", ".m4v", ".m3u8"];
const AUDIO_FILES: [&str; 6] = [".mp3", ".m4a", ".ogg", ".oga", ".wav", ".aac"];

/// Words of a frame's title that say only what it is (`YouTube video player`): no title.
const GENERIC_TITLE_WORDS: [&str; 14] = [
    "youtube",
    "vimeo",
    "spotify",
    "soundcloud",
    "video",
    "audio",
    "player",
    "embed",
    "embedded",
    "content",
    "iframe",
    "frame",
    "media",
    "podcast",
];

/// A WordPress embed: a post (which [`super::prepare`] makes a quote) or a player.
const WORDPRESS_EMBED: &str = "figure[class*=wp-block-embed]";

/// The attribute that marks a link made here, with its number among [`Embed`]s.
pub const MARK: &str = "data-quire-embed";

/// What a kept embed was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Video,
    Audio,
    /// A frame that plays nothing: a map, a chart, a post.
    Frame,
}

impl Kind {
    /// The word the link opens with in the text.
    fn label(self) -> &'static str {
        match self {
            Kind::Video => "Video",
            Kind::Audio => "Audio",
            Kind::Frame => "Embedded",
        }
    }

    /// Whether it plays something.
    pub fn plays(self) -> bool {
        self != Kind::Frame
    }
}

/// An embed kept as a link: the element it was, what it was, its address and the title the
/// page gives it.
#[derive(Debug, Clone)]
pub struct Embed {
    pub element: String,
    pub kind: Kind,
    pub address: String,
    pub title: Option<String>,
}

impl Embed {
    /// `video `The tide` (https://…)`, for a warning.
    pub fn describe(&self) -> String {
        let kind = match self.kind {
            Kind::Video => "video",
            Kind::Audio => "audio",
            Kind::Frame => "frame",
        };
        match &self.title {
            Some(title) => format!("{kind} `{title}` ({})", self.address),
            None => format!("{kind} ({})", self.address),
        }
    }
}

/// Advertising and tracking frames left out; every other embed of the article's text with an
/// address made a link paragraph (or a link in the paragraph it stood in), its number in
/// [`MARK`]. Returns the embeds kept, and the words of players' fallback text (which a
/// reader sees only where the page cannot play) for the warning of what was left out.
pub fn keep_as_links(document: &Document) -> (Vec<Embed>, Vec<(String, usize)>) {
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    drop_advertising(document);
    let marked = document
        .select("article, main, [itemprop=articleBody]")
        .exists();
    let selector = format!("{WORDPRESS_EMBED}, {}", EMBEDS.join(", "));
    for node in document.select(&selector).nodes() {
        let nested = node
            .ancestors_it(None)
            .any(|a| is_embed(&a) || is_wordpress_embed(&a));
        if nested || !in_text(node, marked) {
            continue;
        }
        if is_wordpress_embed(node) {
            if !node.descendants_it().any(|d| d.has_name("blockquote")) {
                keep_wordpress_embed(node, &mut kept);
            }
            continue;
        }
        let Some(address) = address(node) else {
            continue;
        };
        let element = name(node);
        let kind = kind(&element, &address);
        if kind == Kind::Frame && is_furniture(node, &address) {
            continue;
        }
        let fallback = fallback_words(node);
        if fallback > 0 {
            dropped.push((format!("the fallback text of a <{element}>"), fallback));
        }
        let outer = outermost_wrapper(node);
        let own_title = title(node);
        // A figure of the embed and its caption alone: the caption is the link's text.
        let caption = own_title.is_none().then(|| lone_caption(&outer)).flatten();
        let embed = Embed {
            element,
            kind,
            address,
            title: own_title.or_else(|| caption.map(|(_, c)| clean(&c.text()))),
        };
        let (outer, inner) = match caption {
            Some((figure, caption)) => (figure, Some(caption.inner_html().to_string())),
            None => (outer, None),
        };
        let tag = if outer.ancestors_it(None).any(|a| a.has_name("p")) {
            "span"
        } else {
            "p"
        };
        let link = link_html(&embed, kept.len(), tag, inner.as_deref());
        outer.replace_with_html(format!("{}{link}", poster_html(node, &embed, tag)));
        kept.push(embed);
    }
    (kept, dropped)
}

/// What an embed's link replaces: the embed with the wrappers around it that hold nothing
/// else (`div.video-container > div.ratio`), which readability would drop as a box of links.
fn outermost_wrapper<'a>(node: &NodeRef<'a>) -> NodeRef<'a> {
    let mut outer = *node;
    while let Some(parent) = outer.parent().filter(is_wrapper) {
        outer = parent;
    }
    outer
}

/// A wrapper of one element and no text of its own, which is not the article itself.
fn is_wrapper(node: &NodeRef) -> bool {
    let tag = name(node);
    let loose_text = node
        .children()
        .iter()
        .any(|c| c.is_text() && !c.text().trim().is_empty());
    matches!(tag.as_str(), "div" | "span" | "p" | "center")
        && node.element_children().len() == 1
        && !loose_text
        && node.attr("itemprop").as_deref() != Some("articleBody")
}

/// The caption of a figure that holds an embed (`outer`) and that caption alone, with the
/// figure; not one that holds a link of its own, which cannot be a link's text.
fn lone_caption<'a>(outer: &NodeRef<'a>) -> Option<(NodeRef<'a>, NodeRef<'a>)> {
    let figure = outer.parent().filter(|p| p.has_name("figure"))?;
    let children = figure.element_children();
    let caption = children.iter().find(|c| c.has_name("figcaption"))?;
    let loose_text = figure
        .children()
        .iter()
        .any(|c| c.is_text() && !c.text().trim().is_empty());
    let usable =
        !clean(&caption.text()).is_empty() && !caption.descendants_it().any(|d| d.has_name("a"));
    (children.len() == 2 && !loose_text && usable).then_some((figure, *caption))
}

/// The link that stands for an embed: `Video: <a href>The tide</a>`, its text the caption's
/// markup (`inner`) where that is its title, else its title, else its address.
fn link_html(embed: &Embed, number: usize, tag: &str, inner: Option<&str>) -> String {
    let text = match inner {
        Some(inner) => inner.to_string(),
        None => escape(embed.title.as_deref().unwrap_or(&embed.address)),
    };
    format!(
        "<{tag} {MARK}=\"{number}\">{}: <a href=\"{}\">{text}</a></{tag}>",
        embed.kind.label(),
        escape(&embed.address),
    )
}

/// The still a video shows before it plays (its `poster`), as a picture before its link: the
/// reader saw it on the page. Its description is the video's title, where the page gives one.
fn poster_html(node: &NodeRef, embed: &Embed, tag: &str) -> String {
    let Some(poster) = node.attr("poster").map(|p| p.trim().to_string()) else {
        return String::new();
    };
    if poster.is_empty() || poster.starts_with("data:") && poster.len() < 512 {
        return String::new();
    }
    let alt = escape(embed.title.as_deref().unwrap_or_default());
    format!(
        "<{tag}><img src=\"{}\" alt=\"{alt}\"></{tag}>",
        escape(&poster)
    )
}

/// A WordPress embed that holds no post: its player's frame, else the link or the bare address
/// its wrapper holds (WordPress writes the address when it could not embed it), as a link
/// where it stood, the rest of the wrapper's words kept around it. Its caption is the link's
/// text where the embed has no title and holds no other words, else the paragraph after it.
/// One with no address is left for [`super::prepare`] to name.
fn keep_wordpress_embed(figure: &NodeRef, kept: &mut Vec<Embed>) {
    let Some((target, element, address, title)) = wordpress_target(figure) else {
        return;
    };
    let kind = match kind(&element, &address) {
        Kind::Frame if attr_has(figure, "class", &["is-type-video"]) => Kind::Video,
        kind => kind,
    };
    let outside_caption: String = figure
        .children()
        .iter()
        .filter(|c| !c.has_name("figcaption"))
        .map(|c| c.text().to_string())
        .collect();
    let alone = clean(&outside_caption) == clean(&target.text());
    let caption = figure
        .element_children()
        .into_iter()
        .find(|c| c.has_name("figcaption") && !clean(&c.text()).is_empty());
    let link_caption = caption
        .filter(|c| title.is_none() && alone && !c.descendants_it().any(|d| d.has_name("a")));
    let embed = Embed {
        element,
        kind,
        address,
        title: title.or_else(|| link_caption.map(|c| clean(&c.text()))),
    };
    let inner = link_caption.map(|c| c.inner_html().to_string());
    target.replace_with_html(link_html(&embed, kept.len(), "p", inner.as_deref()));
    kept.push(embed);
    match (link_caption, caption) {
        (Some(used), _) => used.remove_from_parent(),
        (None, Some(caption)) => {
            caption.rename("p");
            caption.remove_attr("class");
        }
        (None, None) => {}
    }
    unwrap_embed(figure);
}

/// What a WordPress embed plays or shows, outside its caption: the node that stands for it
/// (its frame, else a link, else the bare address as text), its element, address and title.
fn wordpress_target<'a>(
    figure: &NodeRef<'a>,
) -> Option<(NodeRef<'a>, String, String, Option<String>)> {
    let in_caption = |d: &NodeRef| {
        std::iter::once(*d)
            .chain(d.ancestors_it(None))
            .any(|a| a.has_name("figcaption"))
    };
    let content: Vec<NodeRef> = figure.descendants_it().filter(|d| !in_caption(d)).collect();
    if let Some(frame) = content.iter().find(|d| is_embed(d)) {
        return address(frame).map(|a| (*frame, name(frame), a, title(frame)));
    }
    if let Some(link) = content.iter().find(|d| d.has_name("a")) {
        let address = usable(&link.attr("href")?)?;
        let text = clean(&link.text());
        let title = (!text.is_empty() && text != address).then_some(text);
        return Some((*link, "a".into(), address, title));
    }
    let bare = content.iter().find_map(|d| {
        let words = clean(&d.text());
        let one = d.is_text() && words.starts_with("http") && !words.contains(' ');
        one.then(|| usable(&words)).flatten().map(|a| (*d, a))
    });
    bare.map(|(text, address)| (text, "figure".into(), address, None))
}

/// A WordPress embed's figure and wrappers taken away, what they held standing in their place.
fn unwrap_embed(figure: &NodeRef) {
    for wrapper in figure.element_children() {
        if wrapper.has_name("div") || wrapper.has_name("span") {
            if let Some(first) = wrapper.first_child() {
                first.unwrap_node();
            } else {
                wrapper.remove_from_parent();
            }
        }
    }
    if let Some(first) = figure.first_child() {
        first.unwrap_node();
    }
}

/// Words of a frame of the site's furniture (a sign-up or log-in box, comments, a consent
/// banner), in its address, title, class or id.
const FURNITURE_WORDS: [&str; 9] = [
    "newsletter",
    "subscribe",
    "signup",
    "sign-up",
    "login",
    "comments",
    "disqus",
    "consent",
    "cookie",
];

/// A frame of the site's furniture rather than of the article: left as it is (readability
/// drops it, or the converter names it).
fn is_furniture(node: &NodeRef, address: &str) -> bool {
    let address = address.to_ascii_lowercase();
    FURNITURE_WORDS.iter().any(|w| address.contains(w))
        || ["title", "class", "id"]
            .iter()
            .any(|a| attr_has(node, a, &FURNITURE_WORDS))
}

/// Advertising and tracking frames: an ad server's or a tracker's, one marked as an
/// advertisement's slot (its own class, id or name, or its wrapper's when that holds nothing
/// else), one of a pixel (1×1 or less) or hidden.
fn drop_advertising(document: &Document) {
    for node in document.select(&EMBEDS.join(", ")).nodes() {
        let host = address(node).and_then(|a| host_of(&a));
        let ad_host = host.as_deref().is_some_and(|h| on_hosts(h, &AD_HOSTS));
        let wrapper = node
            .parent()
            .filter(|p| p.element_children().len() == 1 && p.text().trim().is_empty());
        let slot = std::iter::once(*node).chain(wrapper).any(|n| ad_marked(&n));
        if ad_host || slot || is_pixel(node) || is_hidden(node) {
            node.remove_from_parent();
        }
    }
}

/// Marked as an advertisement's slot by a word of its class, id or name (`ad-slot`,
/// `google_ads_iframe_…`).
fn ad_marked(node: &NodeRef) -> bool {
    ["class", "id", "name"]
        .iter()
        .filter_map(|a| node.attr(a))
        .any(|v| {
            v.to_ascii_lowercase()
                .split(|c: char| !c.is_ascii_alphanumeric())
                .any(|w| AD_WORDS.contains(&w))
        })
}

/// A frame of a pixel: its width or height (attribute or style) 1 or less.
fn is_pixel(node: &NodeRef) -> bool {
    let style = style_of(node);
    ["width", "height"].iter().any(|side| {
        let attr = node
            .attr(side)
            .map(|v| v.trim().trim_end_matches("px").to_string());
        let styled = style
            .split(';')
            .find_map(|d| d.strip_prefix(&format!("{side}:")))
            .map(|v| v.trim_end_matches("px").to_string());
        [attr, styled]
            .into_iter()
            .flatten()
            .any(|v| v.parse::<f64>().is_ok_and(|n| n <= 1.0))
    })
}

/// Hidden from the reader: the `hidden` attribute, `display:none` or `visibility:hidden`.
fn is_hidden(node: &NodeRef) -> bool {
    let style = style_of(node);
    node.has_attr("hidden") || style.contains("display:none") || style.contains("visibility:hidden")
}

/// A node's style, lower-cased and without spaces.
fn style_of(node: &NodeRef) -> String {
    node.attr("style")
        .map(|s| s.to_ascii_lowercase().replace(' ', ""))
        .unwrap_or_default()
}

/// In the article's text: in the page's article (where it marks one) and not in its chrome
/// (a sidebar, another story's card).
fn in_text(node: &NodeRef, marked: bool) -> bool {
    let in_article = node.ancestors_it(None).any(|a| {
        a.has_name("article")
            || a.has_name("main")
            || a.attr("itemprop").as_deref() == Some("articleBody")
    });
    (in_article || !marked) && !super::meta::in_chrome(node)
}

/// The address an embed plays or shows: its own (`src`, a lazy loader's, an object's `data`),
/// its first `source`'s, or the one an AMP player's video id gives.
fn address(node: &NodeRef) -> Option<String> {
    let id = node.attr("data-videoid").map(|v| v.trim().to_string());
    let amp = match (name(node).as_str(), id) {
        ("amp-youtube", Some(id)) => Some(format!("https://www.youtube.com/watch?v={id}")),
        ("amp-vimeo", Some(id)) => Some(format!("https://vimeo.com/{id}")),
        _ => None,
    };
    let own = || {
        ["src", "data-src", "data-lazy-src", "data"]
            .iter()
            .filter_map(|a| node.attr(a))
            .find_map(|v| usable(&v))
    };
    let inner = || {
        node.descendants_it()
            .filter(|d| d.has_name("source") || d.has_name("embed"))
            .filter_map(|d| d.attr("src"))
            .find_map(|v| usable(&v))
    };
    amp.or_else(own).or_else(inner)
}

/// An address a reader can follow: not empty, no script, placeholder or blank page; one
/// without a scheme (`//www.youtube.com/…`) on https.
fn usable(address: &str) -> Option<String> {
    let address = address.trim();
    let lower = address.to_ascii_lowercase();
    let dead = ["javascript:", "data:", "about:", "blob:"]
        .iter()
        .any(|s| lower.starts_with(s));
    if address.is_empty() || dead {
        return None;
    }
    Some(match address.strip_prefix("//") {
        Some(rest) => format!("https://{rest}"),
        None => address.to_string(),
    })
}

/// What an embed is: a video or a sound by its element, its host or its file; else a frame.
fn kind(element: &str, address: &str) -> Kind {
    match element {
        "video" | "amp-video" | "amp-youtube" | "amp-vimeo" => return Kind::Video,
        "audio" | "amp-audio" => return Kind::Audio,
        _ => {}
    }
    let host = host_of(address).unwrap_or_default();
    let path = address
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if on_hosts(&host, &VIDEO_HOSTS) || VIDEO_FILES.iter().any(|e| path.ends_with(e)) {
        Kind::Video
    } else if on_hosts(&host, &AUDIO_HOSTS) || AUDIO_FILES.iter().any(|e| path.ends_with(e)) {
        Kind::Audio
    } else {
        Kind::Frame
    }
}

/// The title the page gives an embed (`title`, `aria-label`), unless it only says what the
/// embed is (`YouTube video player`).
fn title(node: &NodeRef) -> Option<String> {
    ["title", "aria-label"]
        .iter()
        .filter_map(|a| node.attr(a))
        .map(|t| clean(&t))
        .find(|t| {
            let lower = t.to_lowercase();
            let words: Vec<&str> = lower
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            !words.is_empty() && !words.iter().all(|w| GENERIC_TITLE_WORDS.contains(w))
        })
}

/// The words a player holds for a browser that cannot play it (a description, a link to
/// the file), but for a line that says only that (`Your browser does not support video`).
fn fallback_words(node: &NodeRef) -> usize {
    let text = clean(&node.text());
    let lower = text.to_lowercase();
    let excuse = lower.contains("browser")
        && [
            "not support",
            "n't support",
            "cannot play",
            "can't play",
            "unable to play",
        ]
        .iter()
        .any(|w| lower.contains(w));
    if excuse {
        0
    } else {
        text.split_whitespace().count()
    }
}

/// An address's host, lower-cased.
fn host_of(address: &str) -> Option<String> {
    let parsed = url::Url::parse(address).ok()?;
    parsed.host_str().map(str::to_ascii_lowercase)
}

/// The host is one of `hosts` or under one.
fn on_hosts(host: &str, hosts: &[&str]) -> bool {
    hosts
        .iter()
        .any(|h| host == *h || host.ends_with(&format!(".{h}")))
}

fn is_wordpress_embed(node: &NodeRef) -> bool {
    node.has_name("figure") && attr_has(node, "class", &["wp-block-embed"])
}

fn is_embed(node: &NodeRef) -> bool {
    EMBEDS.contains(&name(node).as_str())
}

fn name(node: &NodeRef) -> String {
    node.node_name()
        .map(|n| n.to_ascii_lowercase())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The article after [`keep_as_links`], as HTML, with the embeds kept.
    fn linked(article: &str) -> (String, Vec<Embed>) {
        let document = Document::from(format!(
            "<html><body><article>{article}</article></body></html>"
        ));
        let (kept, _) = keep_as_links(&document);
        (document.select("article").html().to_string(), kept)
    }

    #[test]
    fn a_player_becomes_a_link_where_it_stood_with_the_title_the_page_gives_it() {
        let (html, kept) = linked(
            "<p>Before.</p><iframe src=\"//www.youtube.com/embed/k1\" title=\"The tide\"></iframe>\
             <p>Listen: <audio controls><source src=\"https://cdn.example/ep12.mp3\">\
             Your browser cannot play this.</audio></p>\
             <iframe src=\"https://player.vimeo.com/video/9\" title=\"Vimeo video player\"></iframe>",
        );
        assert!(
            html.contains(
                "<p>Before.</p><p data-quire-embed=\"0\">Video: \
                 <a href=\"https://www.youtube.com/embed/k1\">The tide</a></p>"
            ),
            "{html}"
        );
        assert!(
            html.contains(
                "<p>Listen: <span data-quire-embed=\"1\">Audio: \
                 <a href=\"https://cdn.example/ep12.mp3\">https://cdn.example/ep12.mp3</a></span></p>"
            ),
            "{html}"
        );
        // A title that only says what the frame is is no title.
        assert!(
            html.contains(">Video: <a href=\"https://player.vimeo.com/video/9\">https://player.vimeo.com/video/9</a>"),
            "{html}"
        );
        let kinds: Vec<Kind> = kept.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [Kind::Video, Kind::Audio, Kind::Video]);
    }

    #[test]
    fn a_video_s_poster_stands_before_its_link() {
        let (html, _) = linked(
            "<p>Before.</p><video controls poster=\"images/tide-still.jpg\" title=\"The tide\">\
             <source src=\"https://cdn.example/tide.mp4\"></video>",
        );
        assert!(
            html.contains(
                "<p><img src=\"images/tide-still.jpg\" alt=\"The tide\"></p><p data-quire-embed=\"0\">\
                 Video: <a href=\"https://cdn.example/tide.mp4\">The tide</a></p>"
            ),
            "{html}"
        );
    }

    #[test]
    fn a_player_s_wrappers_that_hold_nothing_else_go_with_it() {
        let (html, _) = linked(
            "<div class=\"body\"><p>Before.</p><div class=\"video-embed\"><div class=\"ratio\">\
             <iframe src=\"https://www.youtube.com/embed/k1\" title=\"The tide\"></iframe></div></div>\
             <p><span><iframe src=\"https://www.youtube.com/embed/k2\"></iframe></span></p></div>",
        );
        assert!(
            html.contains(
                "<div class=\"body\"><p>Before.</p><p data-quire-embed=\"0\">Video: \
                 <a href=\"https://www.youtube.com/embed/k1\">The tide</a></p>\
                 <p data-quire-embed=\"1\">Video: "
            ),
            "{html}"
        );
    }

    #[test]
    fn advertising_tracking_and_hidden_frames_are_left_out_a_sign_up_frame_stays_and_a_map_is_linked(
    ) {
        let (html, kept) = linked(
            "<iframe src=\"https://securepubads.g.doubleclick.net/x\"></iframe>\
             <div class=\"ad-slot\"><iframe src=\"https://ads.example/slot\"></iframe></div>\
             <iframe id=\"google_ads_iframe_1\" src=\"https://x.example/a\"></iframe>\
             <iframe src=\"https://t.example/p\" width=\"1\" height=\"1\"></iframe>\
             <iframe src=\"https://t.example/q\" style=\"display: none\"></iframe>\
             <iframe src=\"https://maps.example/embed?pb=1\" title=\"Where the pier stands\"></iframe>\
             <iframe src=\"https://lists.example/newsletter/form\" title=\"Get the Harbour Brief\"></iframe>",
        );
        // The sign-up box's frame is the site's, left as it is.
        assert_eq!(html.matches("<iframe").count(), 1, "{html}");
        assert!(html.contains("newsletter/form"), "{html}");
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert_eq!(kept[0].kind, Kind::Frame);
        assert!(
            html.contains(
                "Embedded: <a href=\"https://maps.example/embed?pb=1\">Where the pier stands</a>"
            ),
            "{html}"
        );
    }

    #[test]
    fn a_player_in_the_page_s_chrome_or_outside_its_article_is_left_as_it_is() {
        let document = Document::from(
            "<html><body><article><p>Text.</p></article>\
             <div><iframe src=\"https://www.youtube.com/embed/out\"></iframe></div>\
             </body></html>",
        );
        assert!(keep_as_links(&document).0.is_empty());
        let (_, kept) = linked(
            "<p>Text.</p><aside class=\"related\"><iframe src=\"https://www.youtube.com/embed/r\"></iframe></aside>",
        );
        assert!(kept.is_empty(), "{kept:?}");
    }

    #[test]
    fn a_wordpress_embed_is_a_link_to_the_address_it_holds_its_caption_the_link_s_text() {
        let (html, kept) = linked(
            "<figure class=\"wp-block-embed is-type-video wp-block-embed-youtube\">\
             <div class=\"wp-block-embed__wrapper\">\nhttps://www.youtube.com/watch?v=abc\n</div>\
             <figcaption>The third pour, <em>filmed</em> from the pier.</figcaption></figure>",
        );
        assert!(
            html.contains(
                "<article><p data-quire-embed=\"0\">Video: <a href=\"https://www.youtube.com/watch?v=abc\">\
                 The third pour, <em>filmed</em> from the pier.</a></p></article>"
            ),
            "{html}"
        );
        assert_eq!(kept[0].element, "figure");
        // The wrapper's own words stay beside the player's link.
        let (html, _) = linked(
            "<figure class=\"wp-block-embed is-type-rich wp-block-embed-spotify\">\
             <div class=\"wp-block-embed__wrapper\"><iframe title=\"Harbour Talk 41\" \
             src=\"https://open.spotify.com/embed/episode/7x\"></iframe>\
             <p>Episode 41 runs for 38 minutes.</p></div></figure>",
        );
        assert!(
            html.contains(
                "<article><p data-quire-embed=\"0\">Audio: <a href=\"https://open.spotify.com/embed/episode/7x\">\
                 Harbour Talk 41</a></p><p>Episode 41 runs for 38 minutes.</p></article>"
            ),
            "{html}"
        );
    }

    #[test]
    fn chinese_video_sites_and_audio_hosts_are_players_by_their_host() {
        for (address, want) in [
            (
                "https://v.qq.com/txp/iframe/player.html?vid=x0",
                Kind::Video,
            ),
            ("https://player.youku.com/embed/XNTk", Kind::Video),
            (
                "https://player.bilibili.com/player.html?bvid=BV1",
                Kind::Video,
            ),
            ("https://tv.cctv.com/2024/01/02/VIDE.shtml", Kind::Video),
            ("https://www.ximalaya.com/sound/1", Kind::Audio),
            ("https://music.163.com/outchain/player?id=2", Kind::Audio),
            ("https://map.baidu.com/x", Kind::Frame),
            ("https://notcctv.com/x", Kind::Frame),
        ] {
            assert_eq!(kind("iframe", address), want, "{address}");
        }
    }
}
