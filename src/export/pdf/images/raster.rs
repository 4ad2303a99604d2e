//! Raster images other than JPEG in the PDF: PNG, GIF (its first frame, as a still), WebP
//! (lossy or lossless), BMP and TIFF (its first page), each decoded by its own small crate and
//! stored as its pixels (Flate, no further loss), transparency flattened onto the white page
//! (no soft masks, which PDF/A-1 forbids).

use super::{check_pixels, dict, left_out, Prepared};
use crate::export::ExportError;
use printpdf::ExternalStream;
use std::io::Cursor;

/// The samples of a decoded pixel, 8 bits each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Channels {
    Grey,
    GreyAlpha,
    Rgb,
    Rgba,
}

/// Decoded pixels, rows from the top.
pub(super) struct Pixels {
    pub width: u32,
    pub height: u32,
    pub channels: Channels,
    pub data: Vec<u8>,
}

impl Pixels {
    pub fn at_size(width: u32, height: u32, channels: Channels, data: Vec<u8>) -> Pixels {
        Pixels {
            width,
            height,
            channels,
            data,
        }
    }

    /// The pixels as an image to embed (transparency flattened onto white); `dpi`: the
    /// resolution the file gives, if any.
    pub fn prepared(self, dpi: Option<(f32, f32)>) -> Prepared {
        let (space, content) = match self.channels {
            Channels::Grey => ("DeviceGray", self.data),
            Channels::Rgb => ("DeviceRGB", self.data),
            Channels::GreyAlpha => ("DeviceGray", flattened(&self.data, 1)),
            Channels::Rgba => ("DeviceRGB", flattened(&self.data, 3)),
        };
        let stream = ExternalStream {
            dict: dict(self.width, self.height, space, None),
            content,
            compress: true,
        };
        Prepared::new(self.width, self.height, dpi, stream)
    }
}

/// Pixels of `colours` samples and an alpha sample, composited over white paper.
fn flattened(data: &[u8], colours: usize) -> Vec<u8> {
    let over_white = |value: u8, alpha: u8| -> u8 {
        ((value as u32 * alpha as u32 + 255 * (255 - alpha as u32)) / 255) as u8
    };
    data.chunks_exact(colours + 1)
        .flat_map(|p| p[..colours].iter().map(|v| over_white(*v, p[colours])))
        .collect()
}

/// The first frame of a GIF, placed on its logical screen (transparent around it), as a
/// browser shows it before it moves.
pub(super) fn gif(path: &str, bytes: &[u8]) -> Result<Prepared, ExportError> {
    let damaged = |e: gif::DecodingError| left_out(path, format!("is a damaged GIF ({e})"));
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    let mut decoder = options.read_info(Cursor::new(bytes)).map_err(damaged)?;
    let (width, height) = (u32::from(decoder.width()), u32::from(decoder.height()));
    check_pixels(path, "GIF", width, height)?;
    let frame = (decoder.read_next_frame().map_err(damaged)?)
        .ok_or_else(|| left_out(path, "is a GIF without a picture"))?;
    let mut data = vec![0; width as usize * height as usize * 4];
    let (left, top) = (usize::from(frame.left), usize::from(frame.top));
    let shown = usize::from(frame.width).min((width as usize).saturating_sub(left));
    let rows = frame
        .buffer
        .chunks_exact(usize::from(frame.width).max(1) * 4);
    for (y, row) in (top..height as usize).zip(rows) {
        let at = (y * width as usize + left) * 4;
        data[at..at + shown * 4].copy_from_slice(&row[..shown * 4]);
    }
    Ok(Pixels::at_size(width, height, Channels::Rgba, data).prepared(None))
}

/// A WebP, lossy or lossless (an animation's first frame).
pub(super) fn webp(path: &str, bytes: &[u8]) -> Result<Prepared, ExportError> {
    let damaged = |e: image_webp::DecodingError| left_out(path, format!("is a damaged WebP ({e})"));
    let mut decoder = image_webp::WebPDecoder::new(Cursor::new(bytes)).map_err(damaged)?;
    let (width, height) = decoder.dimensions();
    check_pixels(path, "WebP", width, height)?;
    let channels = if decoder.has_alpha() {
        Channels::Rgba
    } else {
        Channels::Rgb
    };
    let size = (decoder.output_buffer_size())
        .ok_or_else(|| left_out(path, "is a WebP too large to decode"))?;
    let mut data = vec![0; size];
    decoder.read_image(&mut data).map_err(damaged)?;
    Ok(Pixels::at_size(width, height, channels, data).prepared(None))
}

/// A BMP (palette, 16, 24 or 32 bits, RLE): a 32-bit one whose alpha is all zero is opaque
/// (older writers leave the fourth byte unused), as browsers show it.
pub(super) fn bmp(path: &str, bytes: &[u8]) -> Result<Prepared, ExportError> {
    use zune_bmp::zune_core::{bytestream::ZCursor, colorspace::ColorSpace};
    let damaged = |e: zune_bmp::BmpDecoderErrors| {
        left_out(
            path,
            format!("is a damaged BMP ({})", format!("{e:?}").trim()),
        )
    };
    let mut decoder = zune_bmp::BmpDecoder::new(ZCursor::new(bytes));
    decoder.decode_headers().map_err(damaged)?;
    let (width, height) =
        (decoder.dimensions()).ok_or_else(|| left_out(path, "is a BMP without a size"))?;
    let (width, height) = (width as u32, height as u32);
    check_pixels(path, "BMP", width, height)?;
    let channels = match decoder.colorspace() {
        Some(ColorSpace::RGB) => Channels::Rgb,
        Some(ColorSpace::RGBA) => Channels::Rgba,
        Some(ColorSpace::Luma) => Channels::Grey,
        other => return Err(left_out(path, format!("is a BMP of colours {other:?}"))),
    };
    let mut data = decoder.decode().map_err(damaged)?;
    if channels == Channels::Rgba && data.chunks_exact(4).all(|p| p[3] == 0) {
        data.chunks_exact_mut(4).for_each(|p| p[3] = 255);
    }
    Ok(Pixels::at_size(width, height, channels, data).prepared(None))
}

/// The first page of a TIFF: grey (1, 8 or 16 bits), RGB, with or without alpha (8 or 16
/// bits), or CMYK (ink subtracted from white, as for a CMYK JPEG).
pub(super) fn tiff(path: &str, bytes: &[u8]) -> Result<Prepared, ExportError> {
    use tiff::{decoder::DecodingResult, ColorType};
    let damaged =
        |e: tiff::TiffError| left_out(path, format!("is a TIFF the PDF cannot read ({e})"));
    let mut decoder = tiff::decoder::Decoder::new(Cursor::new(bytes)).map_err(damaged)?;
    let (width, height) = decoder.dimensions().map_err(damaged)?;
    check_pixels(path, "TIFF", width, height)?;
    let colour = decoder.colortype().map_err(damaged)?;
    let samples = match decoder.read_image().map_err(damaged)? {
        DecodingResult::U8(samples) => samples,
        DecodingResult::U16(samples) => samples.iter().map(|s| (s >> 8) as u8).collect(),
        _ => {
            let reason = "is a TIFF of samples the PDF does not embed (not 8 or 16-bit integers)";
            return Err(left_out(path, reason));
        }
    };
    let (channels, data) = match colour {
        ColorType::Gray(1) => (Channels::Grey, unpacked_bits(&samples, width)),
        ColorType::Gray(8 | 16) => (Channels::Grey, samples),
        ColorType::GrayA(8 | 16) => (Channels::GreyAlpha, samples),
        ColorType::RGB(8 | 16) => (Channels::Rgb, samples),
        ColorType::RGBA(8 | 16) => (Channels::Rgba, samples),
        ColorType::CMYK(8) => (Channels::Rgb, cmyk_to_rgb(&samples)),
        other => {
            let reason = format!("is a TIFF of colours the PDF does not embed ({other:?})");
            return Err(left_out(path, reason));
        }
    };
    Ok(Pixels::at_size(width, height, channels, data).prepared(None))
}

/// One-bit pixels (rows padded to whole bytes, 1 white) as 8-bit grey.
fn unpacked_bits(packed: &[u8], width: u32) -> Vec<u8> {
    let row_bytes = (width as usize).div_ceil(8);
    packed
        .chunks_exact(row_bytes.max(1))
        .flat_map(|row| (0..width as usize).map(move |x| (row[x / 8] >> (7 - x % 8)) & 1))
        .map(|bit| bit * 255)
        .collect()
}

/// CMYK ink amounts as RGB: the ink subtracted from white (what a viewer without a CMYK
/// profile shows).
pub(super) fn cmyk_to_rgb(inks: &[u8]) -> Vec<u8> {
    let white_less = |ink: u8, black: u8| ((255 - ink as u32) * (255 - black as u32) / 255) as u8;
    inks.chunks_exact(4)
        .flat_map(|p| [0, 1, 2].map(|c| white_less(p[c], p[3])))
        .collect()
}

/// A PNG decoded (palettes expanded, 16 bits cut to 8) and stored as its pixels.
pub(super) fn png(path: &str, bytes: &[u8]) -> Result<Prepared, ExportError> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let damaged = |e: png::DecodingError| left_out(path, format!("is a damaged PNG ({e})"));
    let mut reader = decoder.read_info().map_err(damaged)?;
    // The header's size decides the memory the pixels take: refuse absurd ones before allocating.
    check_pixels(path, "PNG", reader.info().width, reader.info().height)?;
    let dpi = png_dpi(reader.info());
    let mut data = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut data).map_err(damaged)?;
    data.truncate(frame.buffer_size());
    let channels = match frame.color_type {
        png::ColorType::Rgb => Channels::Rgb,
        png::ColorType::Grayscale => Channels::Grey,
        png::ColorType::Rgba => Channels::Rgba,
        png::ColorType::GrayscaleAlpha => Channels::GreyAlpha,
        png::ColorType::Indexed => {
            return Err(left_out(
                path,
                "is an indexed PNG that could not be expanded",
            ))
        }
    };
    let pixels = Pixels {
        width: frame.width,
        height: frame.height,
        channels,
        data,
    };
    Ok(pixels.prepared(dpi))
}

/// The resolution a PNG's pHYs chunk gives (pixels a metre), when it names its unit.
fn png_dpi(info: &png::Info) -> Option<(f32, f32)> {
    info.pixel_dims
        .filter(|d| d.unit == png::Unit::Meter)
        .map(|d| (d.xppu as f32 * 0.0254, d.yppu as f32 * 0.0254))
}

#[cfg(test)]
mod tests {
    use super::*;
    use printpdf::DictItem;

    /// An embedded image's colour space, size and stored pixels.
    fn stored(image: Prepared) -> (String, (i64, i64), Vec<u8>) {
        let d = &image.xobject.stream.dict;
        let int = |key: &str| match d[key] {
            DictItem::Int(n) => n,
            _ => panic!("{key}"),
        };
        let DictItem::Name(space) = &d["ColorSpace"] else {
            panic!("no colour space");
        };
        let space = String::from_utf8(space.clone()).unwrap();
        (
            space,
            (int("Width"), int("Height")),
            image.xobject.stream.content,
        )
    }

    const RED: [u8; 3] = [255, 0, 0];
    const WHITE: [u8; 3] = [255, 255, 255];

    #[test]
    fn a_gifs_first_frame_is_placed_on_its_screen_and_the_rest_left_transparent() {
        let mut bytes = Vec::new();
        let palette = [255, 0, 0, 0, 0, 255];
        let mut encoder = gif::Encoder::new(&mut bytes, 3, 2, &palette).unwrap();
        let mut frame = gif::Frame {
            left: 1,
            top: 1,
            width: 2,
            height: 1,
            buffer: vec![0, 0].into(),
            ..gif::Frame::default()
        };
        encoder.write_frame(&frame).unwrap();
        // A second frame, all blue, is not shown.
        (frame.left, frame.top, frame.width, frame.height) = (0, 0, 3, 2);
        frame.buffer = vec![1; 6].into();
        encoder.write_frame(&frame).unwrap();
        drop(encoder);
        let (space, size, pixels) = stored(gif("assets/a.gif", &bytes).unwrap());
        assert_eq!((space.as_str(), size), ("DeviceRGB", (3, 2)));
        assert_eq!(pixels, [WHITE, WHITE, WHITE, WHITE, RED, RED].concat());
    }

    #[test]
    fn a_lossless_webp_keeps_its_pixels() {
        let rgb = [RED, WHITE, [0, 0, 255], [10, 20, 30]].concat();
        let mut bytes = Vec::new();
        let encoder = image_webp::WebPEncoder::new(&mut bytes);
        encoder
            .encode(&rgb, 2, 2, image_webp::ColorType::Rgb8)
            .unwrap();
        let (space, size, pixels) = stored(webp("assets/a.webp", &bytes).unwrap());
        assert_eq!((space.as_str(), size), ("DeviceRGB", (2, 2)));
        assert_eq!(pixels, rgb);
    }

    /// A BMP of 2 x 2 pixels of `bits` (24 or 32) a pixel, rows stored bottom up.
    fn bmp_file(bits: u16, rows_bottom_up: &[u8]) -> Vec<u8> {
        let mut bytes = b"BM".to_vec();
        bytes.extend((54 + rows_bottom_up.len() as u32).to_le_bytes());
        bytes.extend([0; 4]);
        bytes.extend(54u32.to_le_bytes());
        bytes.extend(40u32.to_le_bytes());
        bytes.extend(2i32.to_le_bytes());
        bytes.extend(2i32.to_le_bytes());
        bytes.extend(1u16.to_le_bytes());
        bytes.extend(bits.to_le_bytes());
        bytes.extend([0; 24]);
        bytes.extend(rows_bottom_up);
        bytes
    }

    #[test]
    fn a_bmp_is_read_bottom_up_and_an_unused_alpha_byte_leaves_it_opaque() {
        // 24 bits: blue, green, red order, each row padded to four bytes.
        let rows = [0, 0, 255, 255, 255, 255, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0];
        let (space, _, pixels) = stored(bmp("assets/a.bmp", &bmp_file(24, &rows)).unwrap());
        assert_eq!(space, "DeviceRGB");
        assert_eq!(pixels, [[0, 0, 255], [0, 0, 0], RED, WHITE].concat());
        // 32 bits with the fourth byte all zero: opaque, not transparent.
        let rows = [0, 0, 255, 0, 255, 255, 255, 0, 255, 0, 0, 0, 0, 0, 0, 0];
        let (_, _, pixels) = stored(bmp("assets/b.bmp", &bmp_file(32, &rows)).unwrap());
        assert_eq!(pixels, [[0, 0, 255], [0, 0, 0], RED, WHITE].concat());
    }

    #[test]
    fn a_tiff_of_sixteen_bits_keeps_its_high_bytes_and_one_bit_pixels_are_black_or_white() {
        let mut bytes = Cursor::new(Vec::new());
        let samples: Vec<u16> = vec![0xff00, 0x0000, 0x1234, 0xabcd, 0x8000, 0x00ff];
        let mut encoder = tiff::encoder::TiffEncoder::new(&mut bytes).unwrap();
        (encoder.write_image::<tiff::encoder::colortype::RGB16>(2, 1, &samples)).unwrap();
        let (space, size, pixels) = stored(tiff("assets/a.tif", bytes.get_ref()).unwrap());
        assert_eq!((space.as_str(), size), ("DeviceRGB", (2, 1)));
        assert_eq!(pixels, [0xff, 0x00, 0x12, 0xab, 0x80, 0x00]);
        // Ten pixels a row, two rows: each row padded to two bytes.
        let packed = [0b1010_0000, 0b0100_0000, 0b0000_0000, 0b1100_0000];
        let grey = unpacked_bits(&packed, 10);
        assert_eq!(&grey[..10], &[255, 0, 255, 0, 0, 0, 0, 0, 0, 255]);
        assert_eq!(&grey[10..], &[0, 0, 0, 0, 0, 0, 0, 0, 255, 255]);
    }

    #[test]
    fn cmyk_ink_is_subtracted_from_white() {
        assert_eq!(
            cmyk_to_rgb(&[0, 0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 255]),
            [255, 255, 255, 0, 255, 255, 0, 0, 0]
        );
    }

    #[test]
    fn transparency_is_composited_over_white() {
        // Opaque red, half-transparent black, fully transparent blue.
        let rgba = [255, 0, 0, 255, 0, 0, 0, 128, 0, 0, 255, 0];
        assert_eq!(
            flattened(&rgba, 3),
            [255, 0, 0, 127, 127, 127, 255, 255, 255]
        );
        assert_eq!(flattened(&[0, 255, 0, 0], 1), [0, 255]);
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
        let image = png("assets/dot.png", &bytes).unwrap();
        let (w, h) = image.natural;
        // 11,811 pixels a metre: 300 dpi, 8 pixels 1.92 points.
        assert!(
            (w - 1.92).abs() < 0.01 && (h - 1.92).abs() < 0.01,
            "{w} x {h}"
        );
    }
}
