//! Bytes of a capture to text: byte order marks, the charset the server or the page declares,
//! UTF-8, and otherwise a guess from the bytes (GBK, Big5, Shift_JIS, windows-1252, …). When a
//! declaration and the bytes disagree (valid UTF-8 under a legacy declaration, or bytes that
//! are not UTF-8 under a UTF-8 one), the evidence of the bytes decides, and a warning names
//! both.

use super::CaptureError;
use encoding_rs::{Encoding, UTF_8};

#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub is_html: bool,
    pub warnings: Vec<String>,
}

/// Decodes `bytes`; `declared` is a charset the server gave (a WARC record's HTTP header),
/// which outranks the page's own.
pub fn decode(file: &str, bytes: &[u8], declared: Option<&str>) -> Result<Decoded, CaptureError> {
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
    let declared = declared
        .and_then(|label| {
            let label = label.trim().to_ascii_lowercase();
            Encoding::for_label(label.as_bytes()).map(|e| (label, e))
        })
        .or_else(|| is_html.then(|| declared_charset(&head)).flatten());
    let mut warnings = Vec::new();
    let encoding = match (bom_encoding, declared) {
        (Some(bom), _) => bom,
        (None, Some((label, declared))) => {
            let chosen = by_evidence(declared, bytes);
            if chosen != declared {
                let found = if chosen == UTF_8 {
                    "valid UTF-8".to_string()
                } else {
                    format!("not {label}")
                };
                warnings.push(format!(
                    "declares the charset {label} but its bytes are {found}; read as {}",
                    chosen.name()
                ));
            }
            chosen
        }
        (None, None) => guess(bytes),
    };
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
    Ok(Decoded {
        text,
        is_html,
        warnings,
    })
}

/// UTF-8 when the bytes are, or else a guess from the bytes.
fn guess(bytes: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        UTF_8
    } else {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        detector.guess(None, chardetng::Utf8Detection::Allow)
    }
}

/// The declared charset, unless the bytes say otherwise: bytes that are valid UTF-8 and not
/// plain ASCII are UTF-8 whatever a legacy declaration says (legacy multi-byte text is almost
/// never valid UTF-8), and bytes a declared UTF-8 cannot decode are guessed.
fn by_evidence(declared: &'static Encoding, bytes: &[u8]) -> &'static Encoding {
    let utf8 = std::str::from_utf8(bytes).is_ok();
    if declared == UTF_8 {
        if utf8 {
            UTF_8
        } else {
            guess(bytes)
        }
    } else if utf8 && !bytes.is_ascii() && declared.is_ascii_compatible() {
        UTF_8
    } else {
        declared
    }
}

/// The charset of `<meta charset=…>` or `<meta http-equiv=content-type content="…; charset=…">`.
fn declared_charset(head: &str) -> Option<(String, &'static Encoding)> {
    let at = head.find("charset=")? + "charset=".len();
    let label: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    Encoding::for_label(label.as_bytes()).map(|e| (label, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        let gbk = encoding_rs::GBK
            .encode("<html><head><meta charset=\"gbk\"></head><body>北京周报</body></html>")
            .0;
        let decoded = decode("a.html", &gbk, None).unwrap();
        assert!(
            decoded.is_html && decoded.text.contains("北京周报"),
            "{}",
            decoded.text
        );
        assert!(decoded.warnings.is_empty());
        let latin = encoding_rs::WINDOWS_1252
            .encode("Caf\u{e9} cr\u{e8}me, na\u{ef}ve r\u{e9}sum\u{e9} of the \u{e9}t\u{e9} season")
            .0;
        assert!(decode("a.txt", &latin, None)
            .unwrap()
            .text
            .contains("Café crème"));
        assert!(decode("a.txt", b"  \n", None)
            .unwrap_err()
            .message
            .contains("empty"));
        assert!(decode("a.bin", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", None)
            .unwrap_err()
            .message
            .contains("binary"));
    }

    #[test]
    fn utf8_bytes_under_a_legacy_declaration_are_read_as_utf8_with_a_warning() {
        let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body>北京周报</body></html>";
        let decoded = decode("a.html", page.as_bytes(), None).unwrap();
        assert!(decoded.text.contains("北京周报"), "{}", decoded.text);
        assert_eq!(
            decoded.warnings,
            ["declares the charset gb2312 but its bytes are valid UTF-8; read as UTF-8"]
        );
    }

    #[test]
    fn legacy_bytes_under_a_utf8_declaration_are_guessed_with_a_warning() {
        let page = "<html><head><meta charset=\"utf-8\"></head><body>经过一年的修缮，海港入口处的老灯塔于本周六重新向游客开放。</body></html>";
        let bytes = encoding_rs::GBK.encode(page).0;
        let decoded = decode("a.html", &bytes, None).unwrap();
        assert!(decoded.text.contains("老灯塔"), "{}", decoded.text);
        assert_eq!(decoded.warnings.len(), 1);
        assert!(
            decoded.warnings[0]
                .starts_with("declares the charset utf-8 but its bytes are not utf-8; read as GBK"),
            "{:?}",
            decoded.warnings
        );
    }
}
