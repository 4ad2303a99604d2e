//! Writing results: data to stdout (human text or JSON Lines with a type envelope), everything
//! else to stderr. A closed stdout (`quire list | head`) ends the command quietly.

use indicatif::{ProgressBar, ProgressStyle};
use quire::verify::report::printable;
use serde::Serialize;
use std::io::{self, BufWriter, IsTerminal, StdoutLock, Write};

/// Standard output, buffered; write errors carry through so that a broken pipe can end the
/// program cleanly instead of panicking.
pub struct Output {
    out: BufWriter<StdoutLock<'static>>,
    json: bool,
}

impl Output {
    pub fn new(json: bool) -> Self {
        Output {
            out: BufWriter::new(io::stdout().lock()),
            json,
        }
    }

    /// True when `--json` was asked for.
    pub fn json(&self) -> bool {
        self.json
    }

    /// One JSON Lines record: `{"type": kind, "data": data}`.
    pub fn record<T: Serialize>(&mut self, kind: &str, data: &T) -> io::Result<()> {
        #[derive(Serialize)]
        struct Envelope<'a, T> {
            #[serde(rename = "type")]
            kind: &'a str,
            data: &'a T,
        }
        serde_json::to_writer(&mut self.out, &Envelope { kind, data })?;
        self.out.write_all(b"\n")
    }

    /// One line of human-readable text; control characters in it (from a version message or
    /// a logical path another tool wrote) are escaped, so that they cannot forge lines.
    pub fn line(&mut self, text: impl AsRef<str>) -> io::Result<()> {
        self.out.write_all(printable(text.as_ref()).as_bytes())?;
        self.out.write_all(b"\n")
    }

    pub fn writer(&mut self) -> &mut dyn Write {
        &mut self.out
    }

    pub fn finish(mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Lays out rows as columns separated by two spaces; the last column is not padded.
pub fn table(rows: &[Vec<String>]) -> Vec<String> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    rows.iter()
        .map(|row| {
            let mut line = String::new();
            for (c, cell) in row.iter().enumerate() {
                if c + 1 == row.len() {
                    line.push_str(cell);
                } else {
                    line.push_str(cell);
                    line.push_str(&" ".repeat(widths[c] - cell.chars().count() + 2));
                }
            }
            line.trim_end().to_string()
        })
        .collect()
}

/// A progress bar on stderr drawn with `template`, when stderr is a terminal.
pub fn progress_bar(template: &str) -> Option<ProgressBar> {
    io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(ProgressStyle::with_template(template).expect("a valid template"));
        bar
    })
}

/// An article's date as `show` and an import's summary give it: its update date, else its
/// publication date (`updated 2010-06-09`, `published 2025-11-13`), else nothing.
pub fn dated(
    updated: Option<quire::model::IsoDate>,
    published: Option<quire::model::IsoDate>,
) -> String {
    match (updated, published) {
        (Some(date), _) => format!("updated {date}"),
        (None, Some(date)) => format!("published {date}"),
        (None, None) => String::new(),
    }
}
