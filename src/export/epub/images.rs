//! The images a book carries: their type read from their bytes, not their name (a PNG saved as
//! `.jpg` is a PNG, and the book must say so or EPUBCheck refuses it), their place in the book,
//! and the words that stand for them for a reader who cannot see them.

use std::collections::BTreeMap;

/// What stands for an image that neither the body, nor the metadata, describes: said
/// honestly, in English (the element carries `lang="en"`).
pub const NO_DESCRIPTION: &str = "An image the source gives no description of";

/// An image the book carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookImage {
    /// Its path inside the book (beside the documents).
    pub path: String,
    pub media_type: &'static str,
}

/// The media type and usual extension of an image of a type every EPUB reader supports, read
/// from its bytes; `None` for others (WebP, TIFF…), which the book names instead of carrying.
pub(crate) fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    match imagesize::image_type(bytes) {
        Ok(imagesize::ImageType::Png) => Some(("image/png", "png")),
        Ok(imagesize::ImageType::Jpeg) => Some(("image/jpeg", "jpg")),
        Ok(imagesize::ImageType::Gif) => Some(("image/gif", "gif")),
        _ if is_svg(bytes) => Some(("image/svg+xml", "svg")),
        _ => None,
    }
}

/// An SVG document: XML whose first element is `svg` (after a declaration, comments or a
/// doctype).
fn is_svg(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let mut rest = head.trim_start_matches('\u{feff}').trim_start();
    while let Some(after) = rest.strip_prefix("<?").or(rest.strip_prefix("<!")) {
        match after.find('>') {
            Some(end) => rest = after[end + 1..].trim_start(),
            None => return false,
        }
    }
    rest.strip_prefix("<svg")
        .and_then(|after| after.chars().next())
        .is_some_and(|c| c.is_whitespace() || c == '>' || c == '/')
}

/// The images of `images` (path in the source folder → bytes) that the book carries, by
/// path. Each keeps its path under `assets/` (two images of one name in different folders
/// differ), with its type's extension added when its name says another type.
pub fn carried(images: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, BookImage> {
    images
        .iter()
        .filter_map(|(source, bytes)| {
            let (media_type, extension) = sniff(bytes)?;
            let name = source.strip_prefix("assets/").unwrap_or(source);
            let named = name
                .rsplit_once('.')
                .map(|(_, e)| e.to_ascii_lowercase())
                .is_some_and(|e| e == extension || (extension == "jpg" && e == "jpeg"));
            let path = if named {
                format!("images/{name}")
            } else {
                format!("images/{name}.{extension}")
            };
            Some((source.clone(), BookImage { path, media_type }))
        })
        .collect()
}

/// The text that stands for an image: its alt text, else its caption, else the `title` the
/// body gives it; `None` when there is none (the caller writes [`NO_DESCRIPTION`]).
pub fn description<'a>(candidates: impl IntoIterator<Item = Option<&'a str>>) -> Option<&'a str> {
    candidates
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|text| !text.is_empty())
}

/// An `img` element for `image`, described by `description` or else honestly undescribed.
pub fn img(image: &BookImage, description: Option<&str>) -> String {
    match description {
        Some(text) => format!(
            "<img src=\"{}\" alt=\"{}\"/>",
            super::escape(&image.path),
            super::escape(text)
        ),
        None => format!(
            "<img src=\"{}\" alt=\"{NO_DESCRIPTION}\" lang=\"en\" xml:lang=\"en\"/>",
            super::escape(&image.path)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
    const JPEG: &[u8] = b"\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0";

    #[test]
    fn the_type_of_an_image_is_read_from_its_bytes() {
        assert_eq!(sniff(PNG), Some(("image/png", "png")));
        assert_eq!(sniff(JPEG), Some(("image/jpeg", "jpg")));
        assert_eq!(
            sniff(b"GIF89a\x01\0\x01\0\0\0\0"),
            Some(("image/gif", "gif"))
        );
        for svg in [
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            "\u{feff}<?xml version=\"1.0\"?>\n<!-- drawn -->\n<!DOCTYPE svg>\n<svg>\n</svg>",
        ] {
            assert_eq!(
                sniff(svg.as_bytes()),
                Some(("image/svg+xml", "svg")),
                "{svg}"
            );
        }
        assert_eq!(sniff(b"<svgx/>"), None);
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), None);
        assert_eq!(sniff(b"not an image at all"), None);
    }

    #[test]
    fn a_png_saved_as_a_jpeg_is_carried_as_a_png_under_a_png_name() {
        let images: BTreeMap<String, Vec<u8>> = [
            ("assets/photo.jpg", PNG),
            ("assets/a/b.JPEG", JPEG),
            ("assets/plain", JPEG),
            ("assets/webp.webp", b"RIFF\0\0\0\0WEBPVP8 ".as_slice()),
        ]
        .into_iter()
        .map(|(p, b)| (p.to_string(), b.to_vec()))
        .collect();
        let carried = carried(&images);
        let got: Vec<(&str, &str, &str)> = carried
            .iter()
            .map(|(s, i)| (s.as_str(), i.path.as_str(), i.media_type))
            .collect();
        assert_eq!(
            got,
            [
                ("assets/a/b.JPEG", "images/a/b.JPEG", "image/jpeg"),
                ("assets/photo.jpg", "images/photo.jpg.png", "image/png"),
                ("assets/plain", "images/plain.jpg", "image/jpeg"),
            ]
        );
    }

    #[test]
    fn an_image_without_alt_text_takes_its_caption_and_with_neither_says_so() {
        assert_eq!(description([None, Some(" "), Some("Cap")]), Some("Cap"));
        assert_eq!(description([Some("Alt"), Some("Cap")]), Some("Alt"));
        let image = BookImage {
            path: "images/x.png".into(),
            media_type: "image/png",
        };
        assert_eq!(
            img(&image, None),
            format!(
                "<img src=\"images/x.png\" alt=\"{NO_DESCRIPTION}\" lang=\"en\" xml:lang=\"en\"/>"
            )
        );
        assert_eq!(
            img(&image, Some("A \"quote\"")),
            "<img src=\"images/x.png\" alt=\"A &quot;quote&quot;\"/>"
        );
    }
}
