//! `quire verify`: runs the validator, shows progress on a terminal, writes the report and
//! turns the verdict into the exit code.

use super::Format;
use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use quire::ingest;
use quire::store::open_location;
use quire::verify::{self, report, Sample, VerifyOptions};
use std::collections::BTreeSet;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::sync::Arc;

#[allow(clippy::too_many_arguments)]
pub fn run(
    archive: &str,
    ids: &[String],
    object: Option<&str>,
    no_fixity: bool,
    sample: Option<Sample>,
    ignore: &[String],
    warnings_as_errors: bool,
    format: Format,
) -> Result<u8> {
    let mut options = VerifyOptions::new();
    options.fixity = !no_fixity;
    options.sample = sample;
    options.ignore = ignore.iter().cloned().collect::<BTreeSet<_>>();
    let bar = io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} hashing {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {wide_bar}",
            )
            .expect("a valid template"),
        );
        bar
    });
    if let Some(bar) = &bar {
        let bar = bar.clone();
        options.progress = Some(Arc::new(move |p: verify::Progress| {
            bar.set_length(p.bytes_total);
            bar.set_position(p.bytes_done);
        }));
    }
    let result = match object {
        Some(location) => verify::verify_object(open_location(location)?.as_ref(), &options),
        None => {
            let ids: Vec<String> = ids.iter().map(|id| ingest::object_id(id)).collect();
            verify::verify_root(open_location(archive)?.as_ref(), &ids, &options)
        }
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let report = result?;
    let summary = report.summary();
    let failed = !summary.valid || (warnings_as_errors && summary.warnings > 0);
    let code = u8::from(failed);
    let mut out = BufWriter::new(io::stdout().lock());
    let written = match format {
        Format::Human => report::write_human(&report, &mut out),
        Format::Json => report::write_json(&report, &mut out),
        Format::Junit => report::write_junit(&report, &mut out),
    }
    .and_then(|()| out.flush());
    match written {
        // A reader that stopped early (`| head`) does not change the verdict.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(code),
        Err(e) => Err(e.into()),
        Ok(()) => Ok(code),
    }
}
