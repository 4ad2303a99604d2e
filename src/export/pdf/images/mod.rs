//! Images for the PDF: a JPEG is embedded as it is (no generation loss), once it is known to
//! decode whole; a PNG, GIF, WebP, BMP or TIFF is decoded and stored losslessly from its
//! pixels, transparency flattened onto the white page. A picture with an EXIF orientation keeps
//! its pixels and is placed turned ([`Orientation`]). What cannot be embedded (SVG, AVIF, a
//! damaged file) is left out: the edition names it in the text, and the export warns.

mod jpeg;
mod orientation;
mod raster;

pub use orientation::Orientation;

use crate::export::ExportError;
use printpdf::{DictItem, ExternalStream, ExternalXObject};
use std::collections::BTreeMap;

/// An image ready to be placed: its natural size in points as it is shown (what the page may
/// not enlarge it past), the XObject that draws it, and how its stored pixels are turned to
/// show it upright.
pub struct Prepared {
    pub natural: (f32, f32),
    pub xobject: ExternalXObject,
    pub orientation: Orientation,
}

/// The resolution of an image that does not give its own, in pixels an inch (CSS's pixel).
pub const DEFAULT_DPI: f32 = 96.0;

/// The resolutions (pixels an inch) an image may give for itself; outside them it is taken
/// to be a mistake of the file (a density of 1), and [`DEFAULT_DPI`] holds.
const GIVEN_DPI: std::ops::RangeInclusive<f32> = 24.0..=4800.0;

impl Prepared {
    /// An image of `width` x `height` pixels drawn from `stream`, sized where it is placed;
    /// `dpi`: the resolution the file gives (across, down), if any.
    fn new(width: u32, height: u32, dpi: Option<(f32, f32)>, stream: ExternalStream) -> Self {
        let xobject = ExternalXObject {
            stream,
            width: None,
            height: None,
            dpi: None,
        };
        Prepared {
            natural: natural_size(width, height, dpi),
            xobject,
            orientation: Orientation::UPRIGHT,
        }
    }

    /// The same image shown turned as `orientation` says (its natural size turned with it).
    fn turned(self, orientation: Orientation) -> Self {
        Prepared {
            natural: orientation.shown(self.natural),
            orientation,
            ..self
        }
    }
}

/// The size in points of `width` x `height` pixels at `dpi` (or [`DEFAULT_DPI`]).
pub fn natural_size(width: u32, height: u32, dpi: Option<(f32, f32)>) -> (f32, f32) {
    let (across, down) = dpi
        .filter(|(x, y)| GIVEN_DPI.contains(x) && GIVEN_DPI.contains(y))
        .unwrap_or((DEFAULT_DPI, DEFAULT_DPI));
    (width as f32 * 72.0 / across, height as f32 * 72.0 / down)
}

/// The natural size in points of each image the default (PDF/A) edition embeds, as
/// [`prepare`] gives it: the EPUB sets the PDF's pages for its page list with it.
pub fn natural_sizes(images: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, (f32, f32)> {
    images
        .iter()
        .filter_map(|(path, bytes)| {
            let image = prepare(path, bytes, true).ok()?;
            Some((path.clone(), image.natural))
        })
        .collect()
}

/// An image the PDF leaves out, and why (`reason` says what the file is: "is ...").
fn left_out(path: &str, reason: impl Into<String>) -> ExportError {
    ExportError::ImageLeftOut {
        path: path.to_string(),
        reason: reason.into(),
    }
}

/// The image at `path` (in the issue) ready to embed; `pdfa` converts what PDF/A-1b with an
/// sRGB output intent cannot hold. [`ExportError::ImageLeftOut`] for an image the PDF leaves
/// out; any other error stops the export.
pub fn prepare(path: &str, bytes: &[u8], pdfa: bool) -> Result<Prepared, ExportError> {
    let kind = kind(bytes);
    let prepared = match kind {
        Some(Kind::Jpeg) => jpeg::prepare(path, bytes, pdfa)?,
        Some(Kind::Png) => raster::png(path, bytes)?,
        Some(Kind::Gif) => raster::gif(path, bytes)?,
        Some(Kind::WebP) => raster::webp(path, bytes)?,
        Some(Kind::Bmp) => raster::bmp(path, bytes)?,
        Some(Kind::Tiff) => raster::tiff(path, bytes)?,
        Some(other) => {
            let reason = format!("is {}, which the PDF does not embed", other.name());
            return Err(left_out(path, reason));
        }
        None => return Err(left_out(path, "is not an image the PDF can read")),
    };
    // Browsers turn a JPEG or a PNG as its EXIF data says (not a WebP: Chromium does not).
    Ok(match kind {
        Some(Kind::Jpeg | Kind::Png) => prepared.turned(Orientation::of(bytes)),
        _ => prepared,
    })
}

/// The formats an issue's images come in, by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Jpeg,
    Png,
    Gif,
    WebP,
    Bmp,
    Tiff,
    Svg,
    Avif,
    Heif,
}

impl Kind {
    /// The format, as a warning names it.
    fn name(self) -> &'static str {
        match self {
            Kind::Jpeg => "a JPEG image",
            Kind::Png => "a PNG image",
            Kind::Gif => "a GIF image",
            Kind::WebP => "a WebP image",
            Kind::Bmp => "a BMP image",
            Kind::Tiff => "a TIFF image",
            Kind::Svg => "an SVG image",
            Kind::Avif => "an AVIF image",
            Kind::Heif => "a HEIF image",
        }
    }
}

/// The format of `bytes`, by its signature (an SVG by its root element near the start).
fn kind(bytes: &[u8]) -> Option<Kind> {
    let brand = bytes.get(4..12).filter(|b| b.starts_with(b"ftyp"));
    let start = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    Some(match bytes {
        [0xff, 0xd8, ..] => Kind::Jpeg,
        [0x89, b'P', b'N', b'G', ..] => Kind::Png,
        [b'G', b'I', b'F', b'8', ..] => Kind::Gif,
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Kind::WebP,
        [b'B', b'M', ..] => Kind::Bmp,
        [b'I', b'I', 42, 0, ..] | [b'M', b'M', 0, 42, ..] => Kind::Tiff,
        _ if brand.is_some_and(|b| matches!(&b[4..], b"avif" | b"avis")) => Kind::Avif,
        _ if brand.is_some_and(|b| matches!(&b[4..], b"heic" | b"heix" | b"mif1")) => Kind::Heif,
        _ if start.contains("<svg") => Kind::Svg,
        _ => return None,
    })
}

fn dict(
    width: u32,
    height: u32,
    color_space: &str,
    filter: Option<&str>,
) -> BTreeMap<String, DictItem> {
    let mut d = BTreeMap::new();
    d.insert("Type".into(), DictItem::Name(b"XObject".to_vec()));
    d.insert("Subtype".into(), DictItem::Name(b"Image".to_vec()));
    d.insert("Width".into(), DictItem::Int(width as i64));
    d.insert("Height".into(), DictItem::Int(height as i64));
    d.insert(
        "ColorSpace".into(),
        DictItem::Name(color_space.as_bytes().to_vec()),
    );
    d.insert("BitsPerComponent".into(), DictItem::Int(8));
    if let Some(filter) = filter {
        d.insert("Filter".into(), DictItem::Name(filter.as_bytes().to_vec()));
    }
    d
}

/// Leaves out absurd sizes before the pixels are allocated (the header decides the memory).
fn check_pixels(path: &str, kind: &str, width: u32, height: u32) -> Result<(), ExportError> {
    if width as u64 * height as u64 > 100_000_000 {
        return Err(left_out(
            path,
            format!("is a {kind} of {width}x{height} pixels, more than quire embeds (100 million)"),
        ));
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A JPEG APP1 segment of EXIF data (big-endian TIFF) giving only `orientation`.
    pub(crate) fn exif_segment(orientation: u16) -> Vec<u8> {
        let mut tiff = b"MM\0*\0\0\0\x08\0\x01".to_vec();
        // One entry: Orientation (0x0112), a SHORT, one of it, its value; then no next IFD.
        tiff.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1]);
        tiff.extend(orientation.to_be_bytes());
        tiff.extend([0; 6]);
        let length = (2 + 6 + tiff.len()) as u16;
        let mut segment = vec![0xff, 0xe1];
        segment.extend(length.to_be_bytes());
        segment.extend(b"Exif\0\0");
        segment.extend(tiff);
        segment
    }

    /// The quadrants test JPEG (96 x 64 pixels), with an EXIF block giving `orientation`.
    pub(crate) fn turned_jpeg(orientation: u16) -> Vec<u8> {
        let jpeg = include_bytes!("../../../../tests/fixtures/pdf/quadrants.jpg");
        let mut bytes = jpeg[..2].to_vec();
        bytes.extend(exif_segment(orientation));
        bytes.extend(&jpeg[2..]);
        bytes
    }

    #[test]
    fn a_turned_jpeg_keeps_its_bytes_and_is_shown_with_width_and_height_swapped() {
        for (orientation, shown) in [(1, (72.0, 48.0)), (3, (72.0, 48.0)), (6, (48.0, 72.0))] {
            let bytes = turned_jpeg(orientation);
            let image = prepare("assets/phone.jpg", &bytes, true).unwrap();
            assert_eq!(image.natural, shown, "orientation {orientation}");
            assert_eq!(
                image.orientation,
                Orientation::new(orientation.into()).unwrap()
            );
            assert_eq!(image.xobject.stream.content, bytes, "re-encoded");
            let sizes = natural_sizes(&BTreeMap::from([("a".to_string(), bytes)]));
            assert_eq!(
                sizes["a"], shown,
                "the EPUB's page list sizes it as the PDF does"
            );
        }
    }

    #[test]
    fn an_images_natural_size_is_its_pixels_at_its_own_resolution_or_at_96_dpi() {
        assert_eq!(natural_size(8, 8, None), (6.0, 6.0));
        assert_eq!(natural_size(300, 150, Some((300.0, 150.0))), (72.0, 72.0));
        // A density of 1 is a mistake of the file, not an image a yard wide.
        assert_eq!(natural_size(96, 96, Some((1.0, 1.0))), (72.0, 72.0));
    }

    #[test]
    fn an_image_the_pdf_cannot_embed_is_left_out_naming_its_format_or_its_damage() {
        let reason = |bytes: &[u8]| match prepare("assets/x", bytes, true) {
            Err(ExportError::ImageLeftOut { path, reason }) if path == "assets/x" => reason,
            Err(e) => panic!("not left out: {e}"),
            Ok(_) => panic!("embedded"),
        };
        let svg = b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
        assert_eq!(reason(svg), "is an SVG image, which the PDF does not embed");
        let avif = b"\0\0\0\x1cftypavif\0\0\0\0avifmif1";
        assert_eq!(
            reason(avif),
            "is an AVIF image, which the PDF does not embed"
        );
        assert_eq!(reason(b"plain text"), "is not an image the PDF can read");
        let damaged = reason(b"\x89PNG\r\n\x1a\nnot a png");
        assert!(damaged.starts_with("is a damaged PNG ("), "{damaged}");
        // A JPEG PDF/A cannot hold stops the export instead.
        let arithmetic = include_bytes!("../../../../tests/fixtures/pdf/arithmetic.jpg");
        assert!(matches!(
            prepare("assets/a.jpg", arithmetic, true),
            Err(ExportError::NotPdfA { .. })
        ));
    }
}
