//! Where every page and file of the web edition lives. These paths are the site's permanent
//! URLs, so they depend only on what they name (an issue id, a version number, an article id, a
//! section's name, a file's digest), never on what else the archive holds: adding a version or
//! an issue never gives an existing URL another meaning.

use crate::archive::DigestAlgorithm;

/// The page of a folder: links name it, so that they work from a folder opened as files too.
pub const INDEX: &str = "index.html";

/// A folder of the site, relative to its root, ending in `/` (empty for the root).
pub type Folder = String;

/// The head of an issue: `issues/<id>/`.
pub fn issue(issue_id: &str) -> Folder {
    format!("issues/{issue_id}/")
}

/// One version of an issue: `issues/<id>/v<N>/`.
pub fn version(issue_id: &str, number: u32) -> Folder {
    format!("issues/{issue_id}/v{number}/")
}

/// The head of an issue (`version` None) or one version of it.
pub fn head_or_version(issue_id: &str, version: Option<u32>) -> Folder {
    match version {
        Some(number) => self::version(issue_id, number),
        None => issue(issue_id),
    }
}

/// An article of the head, `issues/<id>/<article>/`, or of one version,
/// `issues/<id>/v<N>/<article>/`.
pub fn article(issue_id: &str, version: Option<u32>, article_id: &str) -> Folder {
    let base = head_or_version(issue_id, version);
    format!("{base}{}/", article_segment(article_id))
}

/// The folder name of an article. An id that a version folder or the media folder could
/// also be (`v2`, `media`) starts with `_`, which no id may start with, so the two never meet.
fn article_segment(article_id: &str) -> String {
    let lower = article_id.to_ascii_lowercase();
    let version_like = lower
        .strip_prefix('v')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if version_like || lower == "media" {
        format!("_{article_id}")
    } else {
        article_id.to_string()
    }
}

/// Page `label` of a long article (the first page is the article's folder itself).
pub fn article_page(article: &str, label: u32) -> Folder {
    format!("{article}{label}/")
}

/// The single-page view of a long article.
pub fn article_all(article: &str) -> Folder {
    format!("{article}all/")
}

/// A file of an issue (an image, a capture), named by its digest so that two versions' files
/// of one name never meet: `issues/<id>/media/<digest>-<name>`. A capture that a browser would
/// run as a page or script (HTML, SVG, XML...) gets `.txt`, so the site's server gives it as
/// text.
pub fn media(issue_id: &str, digest: &str, logical_path: &str) -> String {
    let name = logical_path.rsplit('/').next().unwrap_or(logical_path);
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let inert = matches!(
        extension(&safe).as_str(),
        "txt"
            | "png"
            | "jpg"
            | "jpeg"
            | "gif"
            | "webp"
            | "avif"
            | "bmp"
            | "pdf"
            | "warc"
            | "gz"
            | "zip"
            | "md"
    );
    let suffix = if inert { "" } else { ".txt" };
    format!(
        "issues/{issue_id}/media/{}-{safe}{suffix}",
        &digest[..digest.len().min(16)]
    )
}

/// The site's copy of an image it shows: named as [`media`] names the file, but an SVG keeps
/// its name, as its copy is cleaned of what could run or load ([`crate::export::svg`]) and a
/// browser must know it for an image.
pub fn image(issue_id: &str, digest: &str, logical_path: &str) -> String {
    let media = media(issue_id, digest, logical_path);
    match extension(logical_path).as_str() {
        "svg" => media.strip_suffix(".txt").unwrap_or(&media).to_string(),
        _ => media,
    }
}

/// The site's text copy in UTF-8 of the capture at `media` (a path from [`media`]):
/// `…-page.txt` gives `…-page.utf-8.txt`.
pub fn text_copy(media: &str) -> String {
    format!("{}.utf-8.txt", media.strip_suffix(".txt").unwrap_or(media))
}

/// The lower-case extension of a file name, or "".
pub fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// The folder of a section: `sections/<slug>/`. The slug is the name's letters and digits,
/// lower case, joined by `-`; a name that holds more than that (an apostrophe, non-Latin
/// letters) gets a short digest of itself, so that two names never share a folder unless
/// they differ only in case and spacing.
pub fn section(name: &str) -> Folder {
    format!("sections/{}/", section_slug(name))
}

/// The slug of a section's name (see [`section`]).
pub fn section_slug(name: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let slug = words.join("-");
    let plain = name
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-");
    if !slug.is_empty() && slug == plain {
        slug
    } else {
        let digest = DigestAlgorithm::Sha256.digest(plain.as_bytes());
        match slug.is_empty() {
            true => format!("s-{}", &digest[..8]),
            false => format!("{slug}-{}", &digest[..8]),
        }
    }
}

/// The way from a page in `folder` back to the site's root: `../` once per level.
pub fn root_of(folder: &str) -> String {
    "../".repeat(folder.matches('/').count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_article_that_could_be_a_version_folder_gets_a_folder_of_its_own() {
        assert_eq!(article("spring", None, "essay"), "issues/spring/essay/");
        assert_eq!(article("spring", None, "v2"), "issues/spring/_v2/");
        assert_eq!(article("spring", None, "V10"), "issues/spring/_V10/");
        assert_eq!(article("spring", None, "media"), "issues/spring/_media/");
        assert_eq!(article("spring", None, "v2a"), "issues/spring/v2a/");
        assert_eq!(article("spring", Some(3), "v2"), "issues/spring/v3/_v2/");
    }

    #[test]
    fn section_slugs_are_plain_for_plain_names_and_distinct_for_others() {
        assert_eq!(section_slug("Government Documents"), "government-documents");
        assert_eq!(
            section_slug("government  documents"),
            "government-documents"
        );
        let apostrophe = section_slug("Expert's View");
        assert!(apostrophe.starts_with("expert-s-view-"), "{apostrophe}");
        assert_ne!(apostrophe, section_slug("Expert s View"));
        let chinese = section_slug("时政");
        assert!(
            chinese.starts_with("s-") && chinese.len() == 10,
            "{chinese}"
        );
        assert_ne!(chinese, section_slug("经济"));
    }

    #[test]
    fn media_names_carry_the_digest_and_captures_a_browser_would_run_become_text() {
        let digest = "0123456789abcdef0123";
        assert_eq!(
            media("x", digest, "assets/cover.jpg"),
            "issues/x/media/0123456789abcdef-cover.jpg"
        );
        assert_eq!(
            media("x", digest, "sources/page one.html"),
            "issues/x/media/0123456789abcdef-page_one.html.txt"
        );
        assert_eq!(
            media("x", digest, "sources/a.svg"),
            "issues/x/media/0123456789abcdef-a.svg.txt"
        );
        // An SVG shown as an image is its cleaned copy, named as an SVG.
        assert_eq!(
            image("x", digest, "assets/a.svg"),
            "issues/x/media/0123456789abcdef-a.svg"
        );
        assert_eq!(
            image("x", digest, "assets/b.avif"),
            "issues/x/media/0123456789abcdef-b.avif"
        );
    }

    #[test]
    fn the_root_is_one_level_up_per_folder() {
        assert_eq!(root_of(""), "");
        assert_eq!(root_of("issues/"), "../");
        assert_eq!(root_of("issues/x/v2/a/"), "../../../../");
    }
}
