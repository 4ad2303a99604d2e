//! Bytes of a capture to text: byte order marks, the charset an HTML page declares, UTF-8,
//! and otherwise a guess from the bytes (GBK, Big5, Shift_JIS, windows-1252, …).

use super::CaptureError;
use encoding_rs::{Encoding, UTF_8};

#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub is_html: bool,
}

pub fn decode(file: &str, bytes: &[u8]) -> Result<Decoded, CaptureError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(CaptureError::new(file, "is empty"));
    }
    let (bom_encoding, bom_length) = match Encoding::for_bom(bytes) {
        Some((encoding, length)) => (Some(encoding), length),
        None => (None, 0),
    };
    // UTF-16 aside, a NUL byte means a binary file, not a page.
    if bom_encoding.is_none_or(|e| e == UTF_8) && bytes.contains(&0) {
        return Err(CaptureError::new(
            file,
            "is a binary file, not a captured page (it holds NUL bytes)",
        ));
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let is_html = ["<!doctype html", "<html", "<head", "<body"]
        .iter()
        .any(|tag| head.contains(tag));
    let encoding = bom_encoding
        .or_else(|| is_html.then(|| declared_charset(&head)).flatten())
        .unwrap_or_else(|| {
            if std::str::from_utf8(bytes).is_ok() {
                UTF_8
            } else {
                let mut detector =
                    chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
                detector.feed(bytes, true);
                detector.guess(None, chardetng::Utf8Detection::Allow)
            }
        });
    let (text, _, had_errors) = encoding.decode(&bytes[bom_length..]);
    let text = text.into_owned();
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0c'))
        .count();
    if had_errors && text.chars().filter(|c| *c == '\u{fffd}').count() * 20 > text.chars().count()
        || controls * 20 > text.len()
    {
        return Err(CaptureError::new(
            file,
            format!(
                "is a binary file, not a captured page (it does not decode as {} text)",
                encoding.name()
            ),
        ));
    }
    Ok(Decoded { text, is_html })
}

/// The charset of `<meta charset=…>` or `<meta http-equiv=content-type content="…; charset=…">`.
fn declared_charset(head: &str) -> Option<&'static Encoding> {
    let at = head.find("charset=")? + "charset=".len();
    let label: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    Encoding::for_label(label.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        let gbk = encoding_rs::GBK
            .encode("<html><head><meta charset=\"gbk\"></head><body>北京周报</body></html>")
            .0;
        let decoded = decode("a.html", &gbk).unwrap();
        assert!(
            decoded.is_html && decoded.text.contains("北京周报"),
            "{}",
            decoded.text
        );
        let latin = encoding_rs::WINDOWS_1252
            .encode("Caf\u{e9} cr\u{e8}me, na\u{ef}ve r\u{e9}sum\u{e9} of the \u{e9}t\u{e9} season")
            .0;
        assert!(decode("a.txt", &latin).unwrap().text.contains("Café crème"));
        assert!(decode("a.txt", b"  \n")
            .unwrap_err()
            .message
            .contains("empty"));
        assert!(decode("a.bin", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
            .unwrap_err()
            .message
            .contains("binary"));
    }
}
