//! Images for the PDF: a JPEG is embedded as it is (no generation loss); a PNG is decoded and
//! stored losslessly (Flate), transparency flattened onto the white page. In a PDF/A edition
//! (sRGB output intent) a CMYK or YCCK JPEG is decoded and stored as RGB, losslessly from
//! its decoded pixels, since device CMYK has no place beside an RGB output intent. A picture
//! with an EXIF orientation keeps its pixels and is placed turned ([`Orientation`]).

mod orientation;

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

/// The natural size in points of each image the PDF embeds (JPEG and PNG), from its header
/// alone, as [`prepare`] gives it: the EPUB sets the PDF's pages for its page list with it.
pub fn natural_sizes(images: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, (f32, f32)> {
    images
        .iter()
        .filter_map(|(path, bytes)| {
            let dpi = if bytes.starts_with(&[0xff, 0xd8]) {
                jpeg_dpi(bytes)
            } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
                let reader = png::Decoder::new(std::io::Cursor::new(bytes)).read_info();
                png_dpi(reader.ok()?.info())
            } else {
                return None;
            };
            let size = imagesize::blob_size(bytes).ok()?;
            let natural = natural_size(size.width as u32, size.height as u32, dpi);
            Some((path.clone(), Orientation::of(bytes).shown(natural)))
        })
        .collect()
}

/// The resolution a PNG's pHYs chunk gives (pixels a metre), when it names its unit.
fn png_dpi(info: &png::Info) -> Option<(f32, f32)> {
    info.pixel_dims
        .filter(|d| d.unit == png::Unit::Meter)
        .map(|d| (d.xppu as f32 * 0.0254, d.yppu as f32 * 0.0254))
}

/// The resolution of a JFIF file: its APP0 segment, right after the start of the image.
fn jpeg_dpi(bytes: &[u8]) -> Option<(f32, f32)> {
    if bytes.get(2..4)? != [0xff, 0xe0] {
        return None;
    }
    let length = u16::from_be_bytes([*bytes.get(4)?, *bytes.get(5)?]) as usize;
    jfif_dpi(bytes.get(6..4 + length)?)
}

/// The resolution a JFIF header (APP0) gives: `data` is the segment after its length.
fn jfif_dpi(data: &[u8]) -> Option<(f32, f32)> {
    let rest = data.strip_prefix(b"JFIF\0")?;
    let (units, x, y) = match rest {
        [_, _, units, x1, x2, y1, y2, ..] => (
            *units,
            u16::from_be_bytes([*x1, *x2]) as f32,
            u16::from_be_bytes([*y1, *y2]) as f32,
        ),
        _ => return None,
    };
    match units {
        1 => Some((x, y)),
        2 => Some((x * 2.54, y * 2.54)),
        // 0: an aspect ratio, no resolution.
        _ => None,
    }
}

fn error(path: &str, message: impl Into<String>) -> ExportError {
    ExportError::Image {
        path: path.to_string(),
        message: message.into(),
    }
}

/// The image at `path` (in the issue) ready to embed; `pdfa` converts what PDF/A-1b with an
/// sRGB output intent cannot hold.
pub fn prepare(path: &str, bytes: &[u8], pdfa: bool) -> Result<Prepared, ExportError> {
    if bytes.starts_with(&[0xff, 0xd8]) {
        Ok(jpeg(path, bytes, pdfa)?.turned(Orientation::of(bytes)))
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok(png(path, bytes)?.turned(Orientation::of(bytes)))
    } else {
        Err(ExportError::UnsupportedImage {
            path: path.to_string(),
        })
    }
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

/// Reads the frame header (SOFn) for the size and components, and passes the bytes through.
fn jpeg(path: &str, bytes: &[u8], pdfa: bool) -> Result<Prepared, ExportError> {
    let mut at = 2;
    let dpi = jpeg_dpi(bytes);
    while at + 9 < bytes.len() {
        // Fill bytes (0xFF) may stand before a marker.
        if bytes[at] == 0xff && bytes[at + 1] == 0xff {
            at += 1;
            continue;
        }
        if bytes[at] != 0xff {
            return Err(error(
                path,
                "is a damaged JPEG (no marker where one should be)",
            ));
        }
        let marker = bytes[at + 1];
        let length = u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]) as usize;
        let is_frame = matches!(marker, 0xc0..=0xcf) && !matches!(marker, 0xc4 | 0xc8 | 0xcc);
        if is_frame {
            let height = u16::from_be_bytes([bytes[at + 5], bytes[at + 6]]) as u32;
            let width = u16::from_be_bytes([bytes[at + 7], bytes[at + 8]]) as u32;
            let components = bytes[at + 9];
            if let Some(kind) = beyond_pdf_1_4(marker, bytes[at + 4]).filter(|_| pdfa) {
                return Err(ExportError::NotPdfA {
                    input: format!("image {path}"),
                    reason: format!("is {kind}, which PDF 1.4 cannot decode"),
                });
            }
            if components == 4 && pdfa {
                return cmyk_jpeg_as_rgb(path, bytes, dpi);
            }
            let mut d = dict(width, height, "DeviceRGB", Some("DCTDecode"));
            let space = match components {
                1 => "DeviceGray",
                3 => "DeviceRGB",
                4 => {
                    // Adobe writes CMYK JPEGs inverted.
                    d.insert(
                        "Decode".into(),
                        DictItem::Array(
                            [1, 0, 1, 0, 1, 0, 1, 0]
                                .iter()
                                .map(|n| DictItem::Int(*n))
                                .collect(),
                        ),
                    );
                    "DeviceCMYK"
                }
                n => return Err(error(path, format!("is a JPEG with {n} colour components"))),
            };
            d.insert(
                "ColorSpace".into(),
                DictItem::Name(space.as_bytes().to_vec()),
            );
            if width == 0 || height == 0 {
                return Err(error(path, "is a JPEG without a size"));
            }
            let stream = ExternalStream {
                dict: d,
                content: bytes.to_vec(),
                compress: false,
            };
            return Ok(Prepared::new(width, height, dpi, stream));
        }
        at += 2 + length;
    }
    Err(error(path, "is a damaged JPEG (no frame header)"))
}

/// Why PDF 1.4's DCTDecode (baseline and progressive Huffman coding, 8 bits a sample) cannot
/// read a JPEG of frame `marker` and `precision`, if it cannot.
fn beyond_pdf_1_4(marker: u8, precision: u8) -> Option<&'static str> {
    match marker {
        0xc3 | 0xc7 | 0xcb | 0xcf => Some("a lossless JPEG"),
        0xc5 | 0xc6 => Some("a hierarchical JPEG"),
        0xc9 | 0xca | 0xcd | 0xce => Some("an arithmetic-coded JPEG"),
        _ if precision != 8 => Some("a JPEG of more than 8 bits a sample"),
        _ => None,
    }
}

/// A CMYK or YCCK JPEG decoded and stored as RGB pixels (Flate): the naive conversion
/// (ink subtracted from white), which is what a viewer without a CMYK profile shows too.
fn cmyk_jpeg_as_rgb(
    path: &str,
    bytes: &[u8],
    dpi: Option<(f32, f32)>,
) -> Result<Prepared, ExportError> {
    let undecodable = |e: jpeg_decoder::Error| {
        error(path, format!("is a CMYK JPEG that cannot be decoded ({e})"))
    };
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    decoder.read_info().map_err(undecodable)?;
    let info = decoder
        .info()
        .filter(|i| i.pixel_format == jpeg_decoder::PixelFormat::CMYK32)
        .ok_or_else(|| error(path, "is a CMYK JPEG that decodes to something else"))?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    check_pixels(path, "JPEG", width, height)?;
    let pixels = decoder.decode().map_err(undecodable)?;
    // The decoder gives ink amounts (Adobe's inversion undone).
    let white_less =
        |ink: u8, black: u8| -> u8 { ((255 - ink as u32) * (255 - black as u32) / 255) as u8 };
    let rgb: Vec<u8> = pixels
        .chunks_exact(4)
        .flat_map(|p| {
            [
                white_less(p[0], p[3]),
                white_less(p[1], p[3]),
                white_less(p[2], p[3]),
            ]
        })
        .collect();
    let stream = ExternalStream {
        dict: dict(width, height, "DeviceRGB", None),
        content: rgb,
        compress: true,
    };
    Ok(Prepared::new(width, height, dpi, stream))
}

/// Refuses absurd sizes before the pixels are allocated (the header decides the memory).
fn check_pixels(path: &str, kind: &str, width: u32, height: u32) -> Result<(), ExportError> {
    if width as u64 * height as u64 > 100_000_000 {
        return Err(error(
            path,
            format!("is a {kind} of {width}x{height} pixels, more than quire embeds (100 million)"),
        ));
    }
    Ok(())
}

fn png(path: &str, bytes: &[u8]) -> Result<Prepared, ExportError> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let damaged = |cause| ExportError::DamagedPng {
        path: path.to_string(),
        cause,
    };
    let mut reader = decoder.read_info().map_err(damaged)?;
    // The header's size decides the memory the pixels take: refuse absurd ones before allocating.
    check_pixels(path, "PNG", reader.info().width, reader.info().height)?;
    let dpi = png_dpi(reader.info());
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).map_err(damaged)?;
    pixels.truncate(frame.buffer_size());
    let (width, height) = (frame.width, frame.height);
    // Flatten transparency onto white paper.
    let over_white = |value: u8, alpha: u8| -> u8 {
        ((value as u32 * alpha as u32 + 255 * (255 - alpha as u32)) / 255) as u8
    };
    let (space, data) = match frame.color_type {
        png::ColorType::Rgb => ("DeviceRGB", pixels),
        png::ColorType::Grayscale => ("DeviceGray", pixels),
        png::ColorType::Rgba => (
            "DeviceRGB",
            pixels
                .chunks_exact(4)
                .flat_map(|p| {
                    [
                        over_white(p[0], p[3]),
                        over_white(p[1], p[3]),
                        over_white(p[2], p[3]),
                    ]
                })
                .collect(),
        ),
        png::ColorType::GrayscaleAlpha => (
            "DeviceGray",
            pixels
                .chunks_exact(2)
                .map(|p| over_white(p[0], p[1]))
                .collect(),
        ),
        png::ColorType::Indexed => {
            return Err(error(path, "is an indexed PNG that could not be expanded"))
        }
    };
    let stream = ExternalStream {
        dict: dict(width, height, space, None),
        content: data,
        compress: true,
    };
    Ok(Prepared::new(width, height, dpi, stream))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::error::Error;

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
        let app0 = |units: u8, x: u16| {
            let mut data = b"JFIF\0\x01\x02".to_vec();
            data.push(units);
            data.extend(x.to_be_bytes());
            data.extend(x.to_be_bytes());
            data.extend([0, 0]);
            data
        };
        assert_eq!(jfif_dpi(&app0(1, 300)), Some((300.0, 300.0)));
        assert_eq!(jfif_dpi(&app0(2, 100)), Some((254.0, 254.0)));
        assert_eq!(jfif_dpi(&app0(0, 1)), None);
    }

    #[test]
    fn a_pngs_resolution_comes_from_its_phys_chunk() {
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, 8, 8);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_pixel_dims(Some(png::PixelDimensions {
            xppu: 11811,
            yppu: 11811,
            unit: png::Unit::Meter,
        }));
        encoder
            .write_header()
            .unwrap()
            .write_image_data(&[0; 64])
            .unwrap();
        let image = prepare("assets/dot.png", &bytes, true).unwrap();
        let (w, h) = image.natural;
        // 11,811 pixels a metre: 300 dpi, 8 pixels 1.92 points.
        assert!(
            (w - 1.92).abs() < 0.01 && (h - 1.92).abs() < 0.01,
            "{w} x {h}"
        );
    }

    #[test]
    fn an_image_the_pdf_cannot_embed_is_told_apart_from_a_damaged_one() {
        let gif = prepare("assets/a.gif", b"GIF89a\x01\x00\x01\x00", true);
        assert!(
            matches!(gif, Err(ExportError::UnsupportedImage { ref path }) if path == "assets/a.gif"),
            "a GIF is an unsupported image"
        );
        let Err(damaged) = prepare("assets/b.png", b"\x89PNG\r\n\x1a\nnot a png", true) else {
            panic!("a damaged PNG was accepted");
        };
        assert!(matches!(damaged, ExportError::DamagedPng { .. }));
        assert_eq!(damaged.to_string(), "assets/b.png: is a damaged PNG");
        assert!(damaged.source().is_some(), "the decoder's error is kept");
    }
}
