//! WARC 1.0 and 1.1 files (ISO 28500), compressed one gzip member per record or not at all:
//! each record read with its exact bytes in the file, so that an issue can keep the records it
//! uses byte for byte in a WARC of its own; the HTTP responses they hold read as pages.
//!
//! A small reader on flate2 rather than a WARC crate: keeping records byte for byte needs each
//! record's place in the file (its gzip member), which the crates' record iterators do not
//! give.

use flate2::bufread::GzDecoder;
use std::io::Read;

/// One record: its bytes as they stand in the file, its headers and its block.
#[derive(Debug, Clone)]
pub struct Record {
    pub raw: Vec<u8>,
    pub headers: Vec<(String, String)>,
    pub block: Vec<u8>,
}

impl Record {
    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn kind(&self) -> &str {
        self.header("WARC-Type").unwrap_or("")
    }

    pub fn id(&self) -> &str {
        self.header("WARC-Record-ID").unwrap_or("")
    }
}

/// Why a WARC could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at byte {offset})")]
pub struct WarcError {
    pub offset: usize,
    pub message: String,
}

fn error(offset: usize, message: impl Into<String>) -> WarcError {
    WarcError {
        offset,
        message: message.into(),
    }
}

/// True when the file is gzip-compressed.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// Every record of a WARC file, in order.
pub fn read_records(bytes: &[u8]) -> Result<Vec<Record>, WarcError> {
    let mut records = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at..].iter().all(u8::is_ascii_whitespace) {
            break;
        }
        let (record, length) = if is_gzip(&bytes[at..]) {
            gzip_member(&bytes[at..], at)?
        } else {
            let (record, length) = parse_record(&bytes[at..], at)?;
            (record, length)
        };
        records.push(Record {
            raw: bytes[at..at + length].to_vec(),
            ..record
        });
        at += length;
    }
    Ok(records)
}

/// One gzip member holding exactly one record, and the member's length.
fn gzip_member(bytes: &[u8], offset: usize) -> Result<(Record, usize), WarcError> {
    let mut decoder = GzDecoder::new(bytes);
    let mut plain = Vec::new();
    decoder
        .read_to_end(&mut plain)
        .map_err(|e| error(offset, format!("a gzip member does not decompress: {e}")))?;
    let length = bytes.len() - decoder.into_inner().len();
    let (record, used) = parse_record(&plain, offset)?;
    if !plain[used..].iter().all(u8::is_ascii_whitespace) {
        return Err(error(
            offset,
            "a gzip member holds more than one record: the WARC must be compressed one record per member (as warcio and wget write it)",
        ));
    }
    Ok((record, length))
}

/// A record at the start of `bytes`: version line, headers, block of Content-Length bytes,
/// the two line ends after it. Returns the record and the bytes it took.
fn parse_record(bytes: &[u8], offset: usize) -> Result<(Record, usize), WarcError> {
    if !bytes.starts_with(b"WARC/1.0\r\n") && !bytes.starts_with(b"WARC/1.1\r\n") {
        return Err(error(offset, "not a WARC 1.0 or 1.1 record"));
    }
    let head_end =
        find(bytes, b"\r\n\r\n").ok_or_else(|| error(offset, "a record's headers do not end"))?;
    let head = String::from_utf8_lossy(&bytes[10..head_end]);
    let headers: Vec<(String, String)> = head
        .split("\r\n")
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("Content-Length"))
        .and_then(|(_, v)| v.parse().ok())
        .ok_or_else(|| error(offset, "a record has no Content-Length"))?;
    let start = head_end + 4;
    let end = start + length;
    if bytes.len() < end {
        return Err(error(offset, "a record's block is cut short"));
    }
    let mut used = end;
    for _ in 0..2 {
        if bytes[used..].starts_with(b"\r\n") {
            used += 2;
        }
    }
    Ok((
        Record {
            raw: Vec::new(),
            headers,
            block: bytes[start..end].to_vec(),
        },
        used,
    ))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// An HTTP response as a response record holds it.
#[derive(Debug, Clone, Default)]
pub struct HttpResponse {
    pub status: u16,
    /// The media type of Content-Type, lowercased, without parameters.
    pub media_type: Option<String>,
    pub charset: Option<String>,
    /// The HTTP Date header.
    pub date: Option<String>,
    /// The payload, transfer and content encodings undone.
    pub body: Vec<u8>,
}

/// Reads the HTTP response in a response record's block.
pub fn http_response(block: &[u8]) -> Result<HttpResponse, String> {
    let head_end = find(block, b"\r\n\r\n").ok_or("the HTTP headers do not end")?;
    let head = String::from_utf8_lossy(&block[..head_end]);
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or("no HTTP status line")?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let mut body = block[head_end + 4..].to_vec();
    if header("transfer-encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked")) {
        body = dechunk(&body)?;
    }
    match header("content-encoding").map(|e| e.to_ascii_lowercase()) {
        Some(e) if e.contains("gzip") => {
            body = decompressed(flate2::read::MultiGzDecoder::new(body.as_slice()), "gzip")?
        }
        Some(e) if e.contains("deflate") => {
            body = decompressed(flate2::read::ZlibDecoder::new(body.as_slice()), "deflate")?
        }
        Some(e) if !e.is_empty() && e != "identity" => {
            return Err(format!("its content encoding `{e}` is not one quire reads"))
        }
        _ => {}
    }
    let content_type = header("content-type").unwrap_or_default();
    let mut parts = content_type.split(';');
    let media_type = parts
        .next()
        .map(|m| m.trim().to_ascii_lowercase())
        .filter(|m| !m.is_empty());
    let charset = parts
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("charset"))
        .map(|(_, v)| v.trim().trim_matches('"').to_string());
    Ok(HttpResponse {
        status,
        media_type,
        charset,
        date: header("date"),
        body,
    })
}

/// What a decoder gives, to its end; `encoding` names it when the content does not decode.
fn decompressed(mut decoder: impl Read, encoding: &str) -> Result<Vec<u8>, String> {
    let mut plain = Vec::new();
    decoder
        .read_to_end(&mut plain)
        .map_err(|e| format!("the {encoding} content does not decompress: {e}"))?;
    Ok(plain)
}

fn dechunk(body: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut at = 0;
    loop {
        let line_end = find(&body[at..], b"\r\n").ok_or("a chunk size line does not end")? + at;
        let size_text = String::from_utf8_lossy(&body[at..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|_| format!("`{size_text}` is not a chunk size"))?;
        at = line_end + 2;
        if size == 0 {
            return Ok(out);
        }
        let end = at + size;
        if end > body.len() {
            return Err("a chunk is cut short".into());
        }
        out.extend_from_slice(&body[at..end]);
        at = end + 2;
    }
}

/// The records of a new WARC that keeps `keep` (with the original's warcinfo records first),
/// after the records `existing` already holds, each record once.
pub fn subset(existing: &[Record], warcinfo: &[Record], keep: &[&Record]) -> Vec<u8> {
    let mut ids: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    let infos = warcinfo.iter().filter(|r| r.kind() == "warcinfo");
    let ordered = existing
        .iter()
        .filter(|r| r.kind() == "warcinfo")
        .chain(infos)
        .chain(existing.iter().filter(|r| r.kind() != "warcinfo"))
        .chain(keep.iter().copied());
    for record in ordered {
        if !ids.contains(&record.id()) {
            ids.push(record.id());
            out.extend_from_slice(&record.raw);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use std::io::Write;

    fn record(kind: &str, id: &str, block: &[u8]) -> Vec<u8> {
        let mut raw = format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: {id}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        raw.extend_from_slice(block);
        raw.extend_from_slice(b"\r\n\r\n");
        raw
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn records_are_read_with_their_exact_bytes_compressed_per_record_or_not() {
        let one = record("warcinfo", "<urn:uuid:1>", b"software: test\r\n");
        let two = record(
            "response",
            "<urn:uuid:2>",
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<p>hi\r\n4\r\n</p>\r\n0\r\n\r\n",
        );
        let plain = [one.clone(), two.clone()].concat();
        let records = read_records(&plain).unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(
            (records[0].raw.clone(), records[1].raw.clone()),
            (one.clone(), two.clone())
        );
        let members = [gzip(&one), gzip(&two)];
        let records = read_records(&members.concat()).unwrap();
        assert_eq!(records[1].raw, members[1]);
        assert_eq!(records[1].id(), "<urn:uuid:2>");
        let response = http_response(&records[1].block).unwrap();
        assert_eq!(
            (
                response.status,
                response.media_type.as_deref(),
                response.charset.as_deref()
            ),
            (200, Some("text/html"), Some("utf-8"))
        );
        assert_eq!(response.body, b"<p>hi</p>");
        // One stream over all records cannot be kept record by record.
        let whole = gzip(&plain);
        assert!(read_records(&whole)
            .unwrap_err()
            .message
            .contains("one record per member"));
    }
}
