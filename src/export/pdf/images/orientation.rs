//! A picture's EXIF orientation. A camera or phone stores a portrait as its sensor saw it (on
//! its side) and says in its EXIF data how to turn it; browsers, and so the EPUB and the web
//! edition, show it turned. The PDF keeps the stored pixels (a JPEG byte for byte) and places
//! them with the matrix that turns them the same way.

use std::io::Cursor;

/// How the stored pixels are turned or mirrored to show the picture upright: EXIF's
/// Orientation, 1 (as stored) to 8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Orientation(u8);

impl Orientation {
    /// The pixels as stored.
    pub const UPRIGHT: Orientation = Orientation(1);

    /// EXIF's value, when it is one of the eight orientations.
    pub fn new(value: u32) -> Option<Orientation> {
        u8::try_from(value)
            .ok()
            .filter(|v| (1..=8).contains(v))
            .map(Orientation)
    }

    /// What the EXIF data of a JPEG (APP1) or PNG (eXIf) gives; upright when the file has no
    /// EXIF data, or damaged or unknown data (a broken block never stops the export).
    pub fn of(bytes: &[u8]) -> Orientation {
        let exif = exif::Reader::new().read_from_container(&mut Cursor::new(bytes));
        exif.ok()
            .and_then(|exif| {
                let field = exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY)?;
                Orientation::new(field.value.get_uint(0)?)
            })
            .unwrap_or(Orientation::UPRIGHT)
    }

    /// The size the picture is shown at, from its stored size: a quarter turn (5 to 8)
    /// swaps width and height.
    pub fn shown(self, (width, height): (f32, f32)) -> (f32, f32) {
        if self.0 >= 5 {
            (height, width)
        } else {
            (width, height)
        }
    }

    /// The transformation matrix that draws the stored image (the unit square, its first row
    /// at the top) upright in the box `width` x `height` (the shown size) at (`x`, `y`).
    pub fn matrix(self, x: f32, y: f32, width: f32, height: f32) -> [f32; 6] {
        // Where the unit square's point (u, v) lands in the box, as fractions (s, t) of it:
        // s = a·u + c·v + e, t = b·u + d·v + f.
        let [a, b, c, d, e, f] = match self.0 {
            // Mirrored left to right.
            2 => [-1.0, 0.0, 0.0, 1.0, 1.0, 0.0],
            // Half a turn.
            3 => [-1.0, 0.0, 0.0, -1.0, 1.0, 1.0],
            // Mirrored top to bottom.
            4 => [1.0, 0.0, 0.0, -1.0, 0.0, 1.0],
            // Mirrored across the diagonal from the top left (stored rows are shown columns).
            5 => [0.0, -1.0, -1.0, 0.0, 1.0, 1.0],
            // A quarter turn clockwise: the stored top row is shown as the right column.
            6 => [0.0, -1.0, 1.0, 0.0, 0.0, 1.0],
            // Mirrored across the other diagonal.
            7 => [0.0, 1.0, 1.0, 0.0, 0.0, 0.0],
            // A quarter turn counter-clockwise: the stored top row is the left column.
            8 => [0.0, 1.0, -1.0, 0.0, 1.0, 0.0],
            _ => [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
        };
        [
            a * width,
            b * height,
            c * width,
            d * height,
            x + e * width,
            y + f * height,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where the matrix puts a point of the unit square, as fractions of a 1 x 1 box at 0, 0.
    fn lands(orientation: u32, (u, v): (f32, f32)) -> (f32, f32) {
        let [a, b, c, d, e, f] = Orientation::new(orientation)
            .unwrap()
            .matrix(0.0, 0.0, 1.0, 1.0);
        (a * u + c * v + e, b * u + d * v + f)
    }

    #[test]
    fn each_orientation_puts_the_stored_corners_where_exif_says_they_are_shown() {
        // The stored image's top-left, top-right and bottom-left corners in the unit square.
        let (top_left, top_right, bottom_left) = ((0.0, 1.0), (1.0, 1.0), (0.0, 0.0));
        // EXIF: where the 0th row and the 0th column are shown, as the three corners land.
        let expected = [
            (1, [(0.0, 1.0), (1.0, 1.0), (0.0, 0.0)]),
            (2, [(1.0, 1.0), (0.0, 1.0), (1.0, 0.0)]),
            (3, [(1.0, 0.0), (0.0, 0.0), (1.0, 1.0)]),
            (4, [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)]),
            (5, [(0.0, 1.0), (0.0, 0.0), (1.0, 1.0)]),
            (6, [(1.0, 1.0), (1.0, 0.0), (0.0, 1.0)]),
            (7, [(1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]),
            (8, [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0)]),
        ];
        for (orientation, corners) in expected {
            let landed = [top_left, top_right, bottom_left].map(|p| lands(orientation, p));
            assert_eq!(landed, corners, "orientation {orientation}");
        }
    }

    #[test]
    fn a_quarter_turn_swaps_the_shown_width_and_height() {
        let turned = Orientation::new(6).unwrap();
        assert_eq!(turned.shown((40.0, 30.0)), (30.0, 40.0));
        assert_eq!(Orientation::UPRIGHT.shown((40.0, 30.0)), (40.0, 30.0));
        assert_eq!(
            turned.matrix(10.0, 20.0, 30.0, 40.0),
            [0.0, -40.0, 30.0, 0.0, 10.0, 60.0]
        );
    }

    #[test]
    fn a_missing_damaged_or_unknown_orientation_is_upright() {
        assert_eq!(Orientation::new(0), None);
        assert_eq!(Orientation::new(9), None);
        // A JPEG whose APP1 says Exif but holds no TIFF structure.
        let broken = b"\xff\xd8\xff\xe1\x00\x0cExif\0\0MM\0*\xff\xd9";
        assert_eq!(Orientation::of(broken), Orientation::UPRIGHT);
        assert_eq!(Orientation::of(b"GIF89a"), Orientation::UPRIGHT);
        assert_eq!(Orientation::of(&exif_jpeg(6)), Orientation::new(6).unwrap());
    }

    /// The start of a JPEG with an EXIF block giving `orientation` (enough for the reader).
    pub(crate) fn exif_jpeg(orientation: u16) -> Vec<u8> {
        let mut bytes = vec![0xff, 0xd8];
        bytes.extend(super::super::tests::exif_segment(orientation));
        bytes.extend([0xff, 0xd9]);
        bytes
    }
}
