//! The images a book carries: their type read from their bytes, not their name (a PNG saved as
//! `.jpg` is a PNG, and the book must say so or EPUBCheck refuses it), their place in the book,
//! and the words that stand for them for a reader who cannot see them. The book carries the
//! core image types of EPUB 3.3 (PNG, JPEG, GIF, WebP, SVG), each SVG only as
//! [`crate::export::svg`] cleans it; of the others (TIFF, BMP, AVIF...) the text says where
//! each stands that the book does not carry it and why, and the book warns of each.

use super::EpubWarning;
use crate::export::svg;
use std::borrow::Cow;
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

/// Why the book does not carry an image of the edition: in a few words for the note in the
/// text, and in full for the warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    pub note: String,
    pub reason: String,
}

/// What the book does with the images of an edition.
#[derive(Debug, Clone, Default)]
pub struct Gallery<'a> {
    /// The images it carries, by path in the source folder.
    pub carried: BTreeMap<String, BookImage>,
    /// Their bytes as the book carries them (an SVG cleaned).
    pub bytes: BTreeMap<String, Cow<'a, [u8]>>,
    /// The images it does not carry, by path, with why.
    pub left_out: BTreeMap<String, LeftOut>,
    /// What it must say of them: each image left out, each SVG cleaned.
    pub warnings: Vec<EpubWarning>,
}

/// The media type and usual extension of an image of a core type of EPUB 3.3 (which every
/// reader must show), read from its bytes; `None` for others (TIFF, BMP, AVIF...), which the
/// book names instead of carrying.
pub(crate) fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    match imagesize::image_type(bytes) {
        Ok(imagesize::ImageType::Png) => Some(("image/png", "png")),
        Ok(imagesize::ImageType::Jpeg) => Some(("image/jpeg", "jpg")),
        Ok(imagesize::ImageType::Gif) => Some(("image/gif", "gif")),
        Ok(imagesize::ImageType::Webp) => Some(("image/webp", "webp")),
        _ if is_svg(bytes) => Some(("image/svg+xml", "svg")),
        _ => None,
    }
}

/// The name of an image format that is not a core type of EPUB 3.3, read from its bytes.
pub(crate) fn other_format(bytes: &[u8]) -> Option<&'static str> {
    use imagesize::{Compression, ImageType};
    match imagesize::image_type(bytes).ok()? {
        ImageType::Tiff => Some("TIFF"),
        ImageType::Bmp => Some("BMP"),
        ImageType::Heif(Compression::Av1) => Some("AVIF"),
        ImageType::Heif(Compression::Hevc) => Some("HEIC"),
        ImageType::Heif(_) => Some("HEIF"),
        _ => None,
    }
}

/// Whether an image of a type the book carries may move or flash: a GIF of more than one
/// frame (or one that does not decode), an SVG that animates (SMIL elements, CSS animations
/// or transitions; its scripts are gone), an animated WebP. A still chart or photograph does
/// not.
pub fn may_move(media_type: &str, bytes: &[u8]) -> bool {
    match media_type {
        "image/gif" => !is_still_gif(bytes),
        "image/svg+xml" => animates(&String::from_utf8_lossy(bytes)),
        // The extended header (VP8X) flags an animation.
        "image/webp" => {
            bytes.get(12..16) == Some(b"VP8X") && bytes.get(20).is_some_and(|f| f & 2 != 0)
        }
        _ => false,
    }
}

/// A GIF of one frame.
fn is_still_gif(bytes: &[u8]) -> bool {
    let Ok(mut decoder) = gif::DecodeOptions::new().read_info(bytes) else {
        return false;
    };
    let mut frames = 0;
    while let Ok(Some(_)) = decoder.next_frame_info() {
        frames += 1;
        if frames > 1 {
            return false;
        }
    }
    frames == 1
}

/// Whether SVG text animates: SMIL's elements (`animate`, `animateMotion`,
/// `animateTransform`, `set`), or CSS's animations and transitions.
fn animates(svg: &str) -> bool {
    let svg = svg.to_ascii_lowercase();
    let element = |name: &str| {
        svg.match_indices(&format!("<{name}")).any(|(at, tag)| {
            svg[at + tag.len()..].starts_with(|c: char| c.is_whitespace() || c == '/' || c == '>')
        })
    };
    [
        "animate",
        "animatemotion",
        "animatetransform",
        "animatecolor",
        "set",
    ]
    .iter()
    .any(|name| element(name))
        || ["@keyframes", "animation", "transition"]
            .iter()
            .any(|css| svg.contains(css))
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

/// What the book does with `images` (path in the source folder → bytes), `cover` being the
/// cover's path. Each image it carries keeps its path under `assets/` (two images of one name
/// in different folders differ), with its type's extension added when its name says another
/// type.
pub fn gallery<'a>(
    images: impl IntoIterator<Item = (&'a String, &'a Vec<u8>)>,
    cover: Option<&str>,
) -> Gallery<'a> {
    let mut gallery = Gallery::default();
    for (source, bytes) in images {
        let cover = cover == Some(source.as_str());
        match carry(source, bytes) {
            Ok(carried) => {
                if !carried.removed.is_empty() {
                    gallery.warnings.push(EpubWarning::SvgCleaned {
                        file: source.clone(),
                        removed: carried.removed,
                    });
                }
                gallery.carried.insert(source.clone(), carried.image);
                gallery.bytes.insert(source.clone(), carried.bytes);
            }
            Err(left_out) => {
                gallery.warnings.push(EpubWarning::ImageLeftOut {
                    file: source.clone(),
                    reason: left_out.reason.clone(),
                    cover,
                });
                gallery.left_out.insert(source.clone(), left_out);
            }
        }
    }
    gallery
}

/// An image as the book carries it.
struct Carried<'a> {
    image: BookImage,
    bytes: Cow<'a, [u8]>,
    /// What was removed from it (an SVG's scripts...).
    removed: Vec<String>,
}

/// An image as the book carries it, or why the book does not carry it.
fn carry<'a>(source: &str, bytes: &'a [u8]) -> Result<Carried<'a>, LeftOut> {
    let Some((media_type, extension)) = sniff(bytes) else {
        let note = match other_format(bytes) {
            Some(format) => format!("its format, {format}, is not one EPUB readers must show"),
            None => "it is not an image of a type EPUB readers must show".to_string(),
        };
        return Err(LeftOut {
            reason: note.clone(),
            note,
        });
    };
    let (carried, removed) = match media_type {
        "image/svg+xml" => {
            let clean = svg::clean(source, bytes).map_err(|error| LeftOut {
                note: "it is an SVG that does not parse".to_string(),
                reason: format!("it {}", error.reason()),
            })?;
            (Cow::Owned(clean.bytes), clean.removed)
        }
        _ => (Cow::Borrowed(bytes), Vec::new()),
    };
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
    Ok(Carried {
        image: BookImage { path, media_type },
        bytes: carried,
        removed,
    })
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
        assert_eq!(sniff(WEBP), Some(("image/webp", "webp")));
        assert_eq!(sniff(b"not an image at all"), None);
        for (bytes, format) in [(TIFF, "TIFF"), (BMP, "BMP"), (AVIF, "AVIF")] {
            assert_eq!((sniff(bytes), other_format(bytes)), (None, Some(format)));
        }
    }

    const WEBP: &[u8] =
        b"RIFF\x1a\0\0\0WEBPVP8L\x0d\0\0\0\x2f\0\0\0\x10\x07\x10\x11\x11\x88\x88\xfe\x07\0";
    const TIFF: &[u8] = b"II*\0\x08\0\0\0\0\0\0\0";
    const BMP: &[u8] = b"BM\x3a\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0\x01\0\0\0\x01\0\0\0";
    const AVIF: &[u8] = b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf";

    /// `images` (path, bytes) as an edition holds them.
    fn edition(images: &[(&str, &[u8])]) -> BTreeMap<String, Vec<u8>> {
        (images.iter())
            .map(|(p, b)| (p.to_string(), b.to_vec()))
            .collect()
    }

    #[test]
    fn a_png_saved_as_a_jpeg_is_carried_as_a_png_under_a_png_name() {
        let images = edition(&[
            ("assets/photo.jpg", PNG),
            ("assets/a/b.JPEG", JPEG),
            ("assets/plain", JPEG),
            ("assets/alpha.webp", WEBP),
        ]);
        let gallery = gallery(&images, None);
        let got: Vec<(&str, &str, &str)> = (gallery.carried.iter())
            .map(|(s, i)| (s.as_str(), i.path.as_str(), i.media_type))
            .collect();
        assert_eq!(
            got,
            [
                ("assets/a/b.JPEG", "images/a/b.JPEG", "image/jpeg"),
                ("assets/alpha.webp", "images/alpha.webp", "image/webp"),
                ("assets/photo.jpg", "images/photo.jpg.png", "image/png"),
                ("assets/plain", "images/plain.jpg", "image/jpeg"),
            ]
        );
        assert!(gallery.left_out.is_empty() && gallery.warnings.is_empty());
    }

    #[test]
    fn an_image_the_book_does_not_carry_is_left_out_saying_why_and_an_svg_is_cleaned() {
        let scripted =
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><rect/></svg>";
        let images = edition(&[
            ("assets/scan.tiff", TIFF),
            ("assets/cover.bmp", BMP),
            ("assets/broken.svg", b"<svg><g></svg>"),
            ("assets/chart.svg", scripted),
        ]);
        let gallery = gallery(&images, Some("assets/cover.bmp"));
        let warnings: Vec<String> = gallery.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(warnings[..2], [
            "assets/broken.svg: not in the book, as it is an SVG that does not parse (at byte 8): ill-formed document: expected `</g>`, but `</svg>` was found; the text names it where it stands",
            "assets/chart.svg: removed from the SVG for safety: the event handler `onload`",
        ]);
        assert_eq!(warnings[2..], [
            "assets/cover.bmp: not in the book, as its format, BMP, is not one EPUB readers must show; the book has no cover",
            "assets/scan.tiff: not in the book, as its format, TIFF, is not one EPUB readers must show; the text names it where it stands",
        ]);
        assert_eq!(
            gallery.left_out["assets/broken.svg"].note,
            "it is an SVG that does not parse"
        );
        let chart = String::from_utf8(gallery.bytes["assets/chart.svg"].to_vec()).unwrap();
        assert!(
            !chart.contains("onload") && chart.contains("<rect/>"),
            "{chart}"
        );
    }

    #[test]
    fn animated_gifs_svgs_and_webps_may_move_and_still_ones_do_not() {
        let mut animated = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\x02\0\0\0".to_vec();
        assert!(may_move("image/webp", &animated));
        animated[20] = 0x10;
        assert!(!may_move("image/webp", &animated));
        assert!(!may_move("image/webp", WEBP) && !may_move("image/png", PNG));
        // A GIF of one frame, then of two; one that does not decode may move.
        let gif_of = |frames: usize| {
            let mut bytes = Vec::new();
            let mut encoder =
                gif::Encoder::new(&mut bytes, 2, 2, &[0, 0, 0, 255, 255, 255]).unwrap();
            for n in 0..frames {
                let frame = gif::Frame {
                    width: 2,
                    height: 2,
                    buffer: vec![n as u8 % 2; 4].into(),
                    ..gif::Frame::default()
                };
                encoder.write_frame(&frame).unwrap();
            }
            drop(encoder);
            bytes
        };
        assert!(!may_move("image/gif", &gif_of(1)));
        assert!(may_move("image/gif", &gif_of(2)) && may_move("image/gif", b"GIF89a"));
        let chart =
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>Settings</title><rect/></svg>";
        assert!(!may_move("image/svg+xml", chart.as_bytes()));
        for moving in [
            "<svg><rect><animate attributeName=\"x\" to=\"9\"/></rect></svg>",
            "<svg><rect><SET attributeName=\"fill\" to=\"red\"/></rect></svg>",
            "<svg><style>rect { animation: blink 0.2s infinite }</style><rect/></svg>",
        ] {
            assert!(may_move("image/svg+xml", moving.as_bytes()), "{moving}");
        }
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
