//! Writing a verify report: for people (grouped per object, a summary line), as JSON Lines
//! for programs, and as JUnit XML for CI dashboards (one test case per object).
//!
//! JSON Lines records, one per line, each `{"type": ..., "data": {...}}`:
//! - `finding`: `code`, `severity` (`error`|`warning`), `object` (id, if known), `path`,
//!   `message`, and for a finding about a content file `uses`: the logical paths that show
//!   its bytes, each `{"logical_path": ..., "versions": ["v3", "v5"]}`;
//! - `object`, after its findings: `path`, `id`, `spec`, `valid`, `errors`, `warnings`,
//!   `files` and `bytes` hashed;
//! - `unchecked`, first, for what could not be checked: `what` (the check and why: a root
//!   laid out by a layout quire does not know);
//! - `summary`, last: `location`, `valid`, `warnings_as_errors`, `objects`,
//!   `invalid_objects`, `errors`, `warnings`, `files`, `bytes`, `seconds` (with
//!   `--warnings-as-errors`, a warning makes its object and the summary not `valid`).

use super::{Finding, Report, Severity};
use crate::plural;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use serde::Serialize;
use std::io::{self, Write};

fn record<T: Serialize>(out: &mut dyn Write, kind: &str, data: &T) -> io::Result<()> {
    #[derive(Serialize)]
    struct Envelope<'a, T> {
        #[serde(rename = "type")]
        kind: &'a str,
        data: &'a T,
    }
    serde_json::to_writer(&mut *out, &Envelope { kind, data })?;
    out.write_all(b"\n")
}

/// JSON Lines: the root's findings, then each object's findings and record, then the summary.
pub fn write_json(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    #[derive(Serialize)]
    struct Unchecked<'a> {
        what: &'a str,
    }
    for what in &report.unchecked {
        record(out, "unchecked", &Unchecked { what })?;
    }
    for finding in &report.root_findings {
        record(out, "finding", finding)?;
    }
    for object in &report.objects {
        for finding in &object.findings {
            record(out, "finding", finding)?;
        }
        record(out, "object", object)?;
    }
    record(out, "summary", &report.summary())
}

/// `text` with its control characters escaped (`\n`, `\u{1b}`), for a line of text for
/// people: names and messages from an inventory must not start a line or move the cursor.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return text.into();
    }
    text.chars()
        .map(|c| match c.is_control() {
            true => c.escape_default().to_string(),
            false => c.to_string(),
        })
        .collect::<String>()
        .into()
}

fn human_finding(out: &mut dyn Write, finding: &Finding) -> io::Result<()> {
    let path = if finding.path.is_empty() {
        "."
    } else {
        &finding.path
    };
    let line = format!("{} {}: {}", finding.code, path, finding.message);
    writeln!(out, "  {}", printable(&line))?;
    if let Some(uses) = uses_text(finding) {
        writeln!(out, "    {}", printable(&uses))?;
    }
    Ok(())
}

/// What a damaged content file touches: `used by articles/x.md in v3, v5, v6; …`.
fn uses_text(finding: &Finding) -> Option<String> {
    let uses: Vec<String> = finding.uses.iter().map(ToString::to_string).collect();
    (!uses.is_empty()).then(|| format!("used by {}", uses.join("; ")))
}

/// Text for people: one block per object with findings (valid objects get one line each).
pub fn write_human(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for what in &report.unchecked {
        writeln!(out, "not checked: {}", printable(what))?;
    }
    if !report.root_findings.is_empty() {
        writeln!(out, "storage root {}", report.location)?;
        for finding in &report.root_findings {
            human_finding(out, finding)?;
        }
    }
    for object in &report.objects {
        let id = object.id.as_deref().filter(|id| !id.is_empty());
        // A lone object's path is the location itself.
        let path = match object.path.is_empty() {
            true => &report.location,
            false => &object.path,
        };
        let name = id.unwrap_or(path);
        let verdict = if object.valid { "valid" } else { "INVALID" };
        let mut counts = Vec::new();
        if object.errors > 0 {
            counts.push(format!("{} error{}", object.errors, plural(object.errors)));
        }
        if object.warnings > 0 {
            counts.push(format!(
                "{} warning{}",
                object.warnings,
                plural(object.warnings)
            ));
        }
        let counts = if counts.is_empty() {
            String::new()
        } else {
            format!(", {}", counts.join(", "))
        };
        let name = printable(name);
        writeln!(
            out,
            "{name}: {verdict}{counts} ({} files, {} checked)",
            object.files,
            bytes(object.bytes)
        )?;
        for finding in &object.findings {
            human_finding(out, finding)?;
        }
    }
    let s = report.summary();
    writeln!(
        out,
        "{}: {} object{}, {} invalid; {} error{}, {} warning{}; {} files, {} hashed in {:.2} s ({}/s)",
        if s.valid { "VALID" } else { "INVALID" },
        s.objects,
        plural(s.objects),
        s.invalid_objects,
        s.errors,
        plural(s.errors),
        s.warnings,
        plural(s.warnings),
        s.files,
        bytes(s.bytes),
        s.seconds,
        bytes((s.bytes as f64 / s.seconds.max(1e-9)) as u64),
    )?;
    if s.warnings_as_errors && s.warnings > 0 {
        writeln!(out, "(--warnings-as-errors: the warnings fail)")?;
    }
    Ok(())
}

fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// JUnit XML: a test suite with one test case for the storage root and one per object; an
/// object with errors fails, its warnings go to `system-out`.
pub fn write_junit(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let summary = report.summary();
    let mut xml = Writer::new_with_indent(out, b' ', 2);
    xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let tests = (report.objects.len() + 1).to_string();
    let failures = (report.objects.iter().filter(|o| !o.valid).count()
        + usize::from(
            report
                .root_findings
                .iter()
                .any(|f| report.fails(f.severity)),
        ))
    .to_string();
    let time = format!("{:.3}", summary.seconds);
    let mut suites = BytesStart::new("testsuites");
    suites.push_attribute(("name", "quire verify"));
    suites.push_attribute(("tests", tests.as_str()));
    suites.push_attribute(("failures", failures.as_str()));
    suites.push_attribute(("time", time.as_str()));
    xml.write_event(Event::Start(suites))?;
    let mut suite = BytesStart::new("testsuite");
    suite.push_attribute(("name", report.location.as_str()));
    suite.push_attribute(("tests", tests.as_str()));
    suite.push_attribute(("failures", failures.as_str()));
    suite.push_attribute(("errors", "0"));
    suite.push_attribute(("time", time.as_str()));
    xml.write_event(Event::Start(suite))?;
    let strict = report.warnings_fail;
    write_case(
        &mut xml,
        ("storage root", "ocfl.root"),
        &report.root_findings,
        strict,
    )?;
    for object in &report.objects {
        let name = object.id.clone().unwrap_or_else(|| object.path.clone());
        write_case(&mut xml, (&name, "ocfl.object"), &object.findings, strict)?;
    }
    xml.write_event(Event::End(BytesEnd::new("testsuite")))?;
    xml.write_event(Event::End(BytesEnd::new("testsuites")))?;
    xml.into_inner().write_all(b"\n")
}

/// A test case: a failure for its errors, and its warnings in `system-out`; with `strict`
/// (`--warnings-as-errors`), a failure for each warning instead.
fn write_case<W: Write>(
    xml: &mut Writer<W>,
    (name, class): (&str, &str),
    findings: &[Finding],
    strict: bool,
) -> io::Result<()> {
    let mut case = BytesStart::new("testcase");
    case.push_attribute(("name", printable(name).as_ref()));
    case.push_attribute(("classname", class));
    xml.write_event(Event::Start(case))?;
    // One line a finding; XML 1.0 cannot hold most control characters, escaped or not.
    let line = |f: &Finding| {
        let text = match uses_text(f) {
            Some(uses) => format!("{} {}: {} ({uses})", f.code, f.path, f.message),
            None => format!("{} {}: {}", f.code, f.path, f.message),
        };
        printable(&text).into_owned()
    };
    let errors: Vec<String> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(line)
        .collect();
    let warnings: Vec<String> = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .map(line)
        .collect();
    if !errors.is_empty() {
        let first_code = findings
            .iter()
            .find(|f| f.severity == Severity::Error)
            .map_or("", |f| f.code.as_str());
        let message = format!("{} error{}", errors.len(), plural(errors.len()));
        let mut failure = BytesStart::new("failure");
        failure.push_attribute(("message", message.as_str()));
        failure.push_attribute(("type", first_code));
        xml.write_event(Event::Start(failure))?;
        xml.write_event(Event::Text(BytesText::new(&errors.join("\n"))))?;
        xml.write_event(Event::End(BytesEnd::new("failure")))?;
    }
    if strict {
        for (finding, text) in findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .zip(&warnings)
        {
            let mut failure = BytesStart::new("failure");
            failure.push_attribute(("message", "warning (--warnings-as-errors)"));
            failure.push_attribute(("type", finding.code.as_str()));
            xml.write_event(Event::Start(failure))?;
            xml.write_event(Event::Text(BytesText::new(text)))?;
            xml.write_event(Event::End(BytesEnd::new("failure")))?;
        }
    } else if !warnings.is_empty() {
        xml.write_event(Event::Start(BytesStart::new("system-out")))?;
        xml.write_event(Event::Text(BytesText::new(&warnings.join("\n"))))?;
        xml.write_event(Event::End(BytesEnd::new("system-out")))?;
    }
    xml.write_event(Event::End(BytesEnd::new("testcase")))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_for_people() {
        assert_eq!(printable("plain: é"), "plain: é");
        assert_eq!(
            printable("ok\n\u{1b}[2K  E092 fake"),
            "ok\\n\\u{1b}[2K  E092 fake"
        );
    }
}
