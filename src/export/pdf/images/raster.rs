//! Lossless raster images in the PDF: decoded and stored as their pixels (Flate, no loss),
//! transparency flattened onto the white page (no soft masks, which PDF/A-1 forbids).

use super::{check_pixels, dict, left_out, Prepared};
use crate::export::ExportError;
use printpdf::ExternalStream;

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
