//! JPEG in the PDF: embedded as it is (DCT, no generation loss) once it is known to decode
//! whole, so that a file cut short is left out rather than drawn with its lower part blank. In
//! a PDF/A edition (sRGB output intent) a CMYK or YCCK JPEG is decoded and stored as RGB,
//! losslessly from its decoded pixels, since device CMYK has no place beside an RGB output
//! intent.

use super::{check_pixels, dict, left_out, Prepared};
use crate::export::ExportError;
use printpdf::{DictItem, ExternalStream};

/// The frame header (SOFn) of a JPEG: its marker, precision, size and components.
struct Frame {
    marker: u8,
    precision: u8,
    width: u32,
    height: u32,
    components: u8,
}

/// Reads the frame header for the size and components, checks that the picture decodes, and
/// passes the bytes through (a CMYK one converted for PDF/A).
pub(super) fn prepare(path: &str, bytes: &[u8], pdfa: bool) -> Result<Prepared, ExportError> {
    let frame = frame(path, bytes)?;
    let dpi = jpeg_dpi(bytes);
    if let Some(kind) = beyond_pdf_1_4(frame.marker, frame.precision).filter(|_| pdfa) {
        return Err(ExportError::NotPdfA {
            input: format!("image {path}"),
            reason: format!("is {kind}, which PDF 1.4 cannot decode"),
        });
    }
    if frame.width == 0 || frame.height == 0 {
        return Err(left_out(path, "is a JPEG without a size"));
    }
    check_pixels(path, "JPEG", frame.width, frame.height)?;
    if frame.components == 4 && pdfa {
        return cmyk_as_rgb(path, bytes, dpi);
    }
    let mut d = dict(frame.width, frame.height, "DeviceRGB", Some("DCTDecode"));
    let space = match frame.components {
        1 => "DeviceGray",
        3 => "DeviceRGB",
        4 => {
            // Adobe writes CMYK JPEGs inverted.
            let decode = [1, 0, 1, 0, 1, 0, 1, 0].map(DictItem::Int).to_vec();
            d.insert("Decode".into(), DictItem::Array(decode));
            "DeviceCMYK"
        }
        n => {
            let reason = format!("is a JPEG with {n} colour components");
            return Err(left_out(path, reason));
        }
    };
    d.insert("ColorSpace".into(), DictItem::Name(space.into()));
    check_decodes(path, bytes)?;
    let stream = ExternalStream {
        dict: d,
        content: bytes.to_vec(),
        compress: false,
    };
    Ok(Prepared::new(frame.width, frame.height, dpi, stream))
}

/// The frame header, found by walking the markers from the start of the image.
fn frame(path: &str, bytes: &[u8]) -> Result<Frame, ExportError> {
    let mut at = 2;
    while at + 9 < bytes.len() {
        // Fill bytes (0xFF) may stand before a marker.
        if bytes[at] == 0xff && bytes[at + 1] == 0xff {
            at += 1;
            continue;
        }
        if bytes[at] != 0xff {
            return Err(left_out(
                path,
                "is a damaged JPEG (no marker where one should be)",
            ));
        }
        let marker = bytes[at + 1];
        let length = u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]) as usize;
        let is_frame = matches!(marker, 0xc0..=0xcf) && !matches!(marker, 0xc4 | 0xc8 | 0xcc);
        if is_frame {
            return Ok(Frame {
                marker,
                precision: bytes[at + 4],
                height: u16::from_be_bytes([bytes[at + 5], bytes[at + 6]]).into(),
                width: u16::from_be_bytes([bytes[at + 7], bytes[at + 8]]).into(),
                components: bytes[at + 9],
            });
        }
        at += 2 + length;
    }
    Err(left_out(path, "is a damaged JPEG (no frame header)"))
}

/// Decodes the whole picture: a JPEG cut short or damaged is left out. A coding the decoder
/// does not read (arithmetic, say) is passed on unchecked, for the PDF reader to decode.
fn check_decodes(path: &str, bytes: &[u8]) -> Result<(), ExportError> {
    match jpeg_decoder::Decoder::new(bytes).decode() {
        Ok(_) | Err(jpeg_decoder::Error::Unsupported(_)) => Ok(()),
        Err(e) => Err(left_out(path, undecodable(&e))),
    }
}

/// What is wrong with a JPEG the decoder gave up on.
fn undecodable(e: &jpeg_decoder::Error) -> String {
    match e {
        jpeg_decoder::Error::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            "is a JPEG cut short: its data ends before the picture does".to_string()
        }
        e => format!("is a damaged JPEG that does not decode ({e})"),
    }
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
fn cmyk_as_rgb(path: &str, bytes: &[u8], dpi: Option<(f32, f32)>) -> Result<Prepared, ExportError> {
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    let pixels = decoder
        .decode()
        .map_err(|e| left_out(path, undecodable(&e)))?;
    let info = decoder
        .info()
        .filter(|i| i.pixel_format == jpeg_decoder::PixelFormat::CMYK32)
        .ok_or_else(|| left_out(path, "is a CMYK JPEG that decodes to something else"))?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    // The decoder gives ink amounts (Adobe's inversion undone).
    let stream = ExternalStream {
        dict: dict(width, height, "DeviceRGB", None),
        content: super::raster::cmyk_to_rgb(&pixels),
        compress: true,
    };
    Ok(Prepared::new(width, height, dpi, stream))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jfif_header_gives_the_resolution_in_dots_an_inch_or_a_centimetre() {
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
    fn a_jpeg_cut_short_is_left_out_naming_what_is_wrong() {
        let whole = super::super::tests::turned_jpeg(1);
        assert!(prepare("assets/whole.jpg", &whole, true).is_ok());
        let cut = &whole[..whole.len() * 3 / 5];
        let Err(e) = prepare("assets/cut.jpg", cut, true) else {
            panic!("a JPEG cut short was embedded");
        };
        assert!(matches!(e, ExportError::ImageLeftOut { .. }), "{e:?}");
        assert_eq!(
            e.to_string(),
            "assets/cut.jpg: is a JPEG cut short: its data ends before the picture does"
        );
        // Its entropy-coded data overwritten with a marker the decoder does not expect.
        let mut damaged = whole.clone();
        let at = damaged.len() - 40;
        damaged[at..at + 2].copy_from_slice(&[0xff, 0xd8]);
        let Err(e) = prepare("assets/damaged.jpg", &damaged, true) else {
            panic!("a damaged JPEG was embedded");
        };
        assert!(e.to_string().contains("does not decode"), "{e}");
    }

    #[test]
    fn a_jpeg_the_decoder_does_not_read_is_passed_on_without_pdfa() {
        let arithmetic = include_bytes!("../../../../tests/fixtures/pdf/arithmetic.jpg");
        assert!(prepare("assets/a.jpg", arithmetic, false).is_ok());
        assert!(matches!(
            prepare("assets/a.jpg", arithmetic, true),
            Err(ExportError::NotPdfA { .. })
        ));
    }
}
