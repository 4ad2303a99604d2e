//! The synthetic images of the examples and the tests that share them: an RGB PNG of a
//! deterministic pattern, as large as a page figure or a cover.

/// A `width`×`height` RGB PNG whose bytes count up modulo `period` (a prime, so that rows
/// differ and nothing compresses to almost nothing).
pub fn pattern_png(width: u32, height: u32, period: usize) -> Result<Vec<u8>, png::EncodingError> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    let mut writer = encoder.write_header()?;
    let pixels: Vec<u8> = (0..width as usize * height as usize * 3)
        .map(|i| (i % period) as u8)
        .collect();
    writer.write_image_data(&pixels)?;
    writer.finish()?;
    Ok(bytes)
}
