//! `quire site`: builds the web edition into a folder and, with `--serve`, previews it.

use super::args::SiteArgs;
use super::open_archive;
use super::output::Output;
use anyhow::Result;
use quire::count;
use quire::site::{build_site, serve::serve, SiteOptions};

/// `quire site`.
pub fn site(archive: &str, args: SiteArgs) -> Result<u8> {
    let archive = open_archive(archive)?;
    let options = SiteOptions {
        base_url: args.base_url,
        quire_version: env!("CARGO_PKG_VERSION").to_string(),
    };
    let report = build_site(&archive, &args.dir, &options)?;
    if options.base_url.is_empty() {
        eprintln!("quire: warning: {}", quire::export::feeds::RSS_NEEDS_A_URL);
    }
    for skipped in &report.skipped {
        eprintln!("quire: warning: left out of the site: {skipped}");
    }
    for unkept in &report.unkept_links {
        eprintln!("quire: warning: {unkept}");
    }
    for warning in &report.warnings {
        eprintln!("quire: warning: {warning}");
    }
    // What the editions made in this build could not carry, as `export` says it.
    for export in report.exports.iter().filter(|e| e.written) {
        for warning in &export.warnings {
            eprintln!("quire: warning: {}: {warning}", export.file);
        }
    }
    for failure in &report.failed {
        eprintln!("quire: warning: {failure}; its pages say the edition is not available");
    }
    let mut out = Output::new(args.output.json);
    if out.json() {
        out.record("site", &report)?;
    } else {
        let exported = report.exports.iter().filter(|e| e.written).count();
        out.line(format!(
            "{}: {} ({} made again), {}; {} written, {} unchanged, {} removed; {} in the search index; {} made, {} up to date, {} not made",
            args.dir.display(),
            count(report.issues, "issue"),
            report.issues_rebuilt.len(),
            count(report.pages_rendered, "page"),
            count(report.write.written.len(), "file"),
            report.write.unchanged,
            report.write.removed.len(),
            count(report.search_records, "article"),
            count(exported, "export"),
            report.exports.len() - exported,
            report.failed.len(),
        ))?;
    }
    out.finish()?;
    // Exports that could not be made and objects that could not be read are a partial
    // failure: the site is built without them.
    let code = u8::from(!report.failed.is_empty() || !report.skipped.is_empty());
    if let Some(addr) = args.serve {
        let dir = args.dir.clone();
        serve(&args.dir, &addr, &|address| {
            eprintln!(
                "quire: serving {} at http://{address}/ (Ctrl-C stops)",
                dir.display()
            );
        })?;
    }
    Ok(code)
}
