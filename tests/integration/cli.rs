//! The command line's own promises through the real binary: help that documents the shared
//! options, `ingest --dry-run`, version names, and the hints a mistyped archive gets.

use crate::support::*;
use std::fs;
use std::path::Path;

const ISSUE: &str = "beijing-review-sample";

/// The help text of a subcommand.
fn help(command: &str) -> String {
    run(quire("archive").args([command, "--help"])).ok()
}

#[test]
fn ingest_and_import_web_help_documents_the_shared_options() {
    for command in ["ingest", "import-web"] {
        let text = help(command);
        for expected in [
            "--message <MESSAGE>  The version message",
            "--user <USER>  Who makes the version",
            "--email <EMAIL>  Their e-mail address, recorded as a mailto: URI",
            "--created <TIME>  The version's created time (RFC 3339)",
            "--json  Write JSON Lines to stdout",
            "--dry-run  Check the input and report what would be stored",
        ] {
            // clap pads the option column to the widest option: compare without the padding.
            let squeezed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let expected = expected.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                squeezed.contains(&expected),
                "`quire {command} --help` lacks `{expected}`:\n{text}"
            );
        }
    }
}

#[test]
fn ingest_help_says_the_folder_may_be_a_bag_folder_or_zip() {
    let text = help("ingest");
    assert!(
        text.contains("BagIt bag") && text.contains(".zip"),
        "{text}"
    );
    assert!(text.contains("--dry-run"), "{text}");
}

/// The sample folder with a changed article body and one new file.
fn changed_sample(dir: &Path) -> std::path::PathBuf {
    let folder = sample_with_added_text(dir, "changed", "\nA corrected closing paragraph.\n");
    fs::write(
        folder.join("sources/notes.txt"),
        "Checked against the print edition.\n",
    )
    .unwrap();
    folder
}

/// The record of `quire ingest --dry-run --json FOLDER`, checked to change nothing in
/// `archive`.
#[track_caller]
fn dry_run(archive: &Path, folder: &Path) -> serde_json::Value {
    let before = tree(archive);
    let planned = ingest_record(
        &run(quire(archive)
            .args(["ingest", "--dry-run", "--json"])
            .arg(folder))
        .ok(),
    );
    assert_unchanged(archive, &before, "a dry run");
    planned
}

/// The one `ingest` record of a JSON Lines run.
fn ingest_record(stdout: &str) -> serde_json::Value {
    let records = json_lines(stdout);
    assert_eq!(records.len(), 1, "{stdout}");
    assert_eq!(records[0]["type"], "ingest");
    records[0]["data"].clone()
}

#[test]
fn a_dry_run_ingest_reports_the_version_it_would_make_and_writes_nothing() {
    let (dir, archive) = sample_archive();
    let changed = changed_sample(dir.path());
    let before = tree(&archive);
    let planned = dry_run(&archive, &changed);
    assert_eq!(planned["dry_run"], true);
    assert_eq!(planned["version"], "v2");
    // Nothing was stored: a dry run never says `committed`.
    assert_eq!(planned["committed"], false);
    assert_eq!(
        planned["changes"]["changed"],
        serde_json::json!([SAMPLE_ARTICLE])
    );
    assert_eq!(
        planned["changes"]["added"],
        serde_json::json!(["sources/notes.txt"])
    );
    assert_eq!(planned["changes"]["removed"], serde_json::json!([]));
    assert_eq!(planned["stored_files"], 2);

    let text = run(quire(&archive).args(["ingest", "--dry-run"]).arg(&changed)).ok();
    assert!(
        text.starts_with(&format!("{ISSUE} v2: ")) && text.contains("dry run: nothing stored"),
        "{text}"
    );
    assert_unchanged(&archive, &before, "a dry run");

    // The real ingest does what the dry run said, to the byte count.
    let mut done =
        ingest_record(&run(quire(&archive).args(["ingest", "--json"]).arg(&changed)).ok());
    assert!(done.get("dry_run").is_none(), "{done}");
    assert_eq!(done["committed"], true);
    done["dry_run"] = true.into();
    done["committed"] = false.into();
    assert_eq!(done, planned);
    // Now the folder is the head: a dry run says "unchanged", as an ingest would.
    let text = run(quire(&archive).args(["ingest", "--dry-run"]).arg(&changed)).ok();
    assert!(text.contains("is unchanged"), "{text}");
}

#[test]
fn a_dry_run_of_a_new_issue_from_a_bag_checks_the_bag_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bag = dir.path().join("bag.zip");
    run(quire(repo().join("archive"))
        .args(["export", "bag", ISSUE, "--zip", "-o"])
        .arg(&bag))
    .ok();
    let archive = new_archive(dir.path());
    let planned = dry_run(&archive, &bag);
    assert_eq!(planned["version"], "v1");
    assert_eq!(planned["created_object"], true);
    // The payload's three files and the bag's four tag files, under sources/bag/.
    assert_eq!(planned["changes"]["added"].as_array().unwrap().len(), 7);
    assert!(run(quire(&archive).arg("list")).ok().lines().count() == 1);
}

#[test]
fn a_version_may_be_named_with_a_capital_v() {
    let archive = repo().join("archive");
    let lower = run(quire(&archive).args(["cat", &format!("{ISSUE}@v1"), "issue.toml"])).ok();
    let upper = run(quire(&archive).args(["cat", &format!("{ISSUE}@V1"), "issue.toml"])).ok();
    assert!(!lower.is_empty());
    assert_eq!(upper, lower);
    let shown = run(quire(&archive).args(["show", &format!("{ISSUE}@V1")])).ok();
    assert!(shown.starts_with(&format!("{ISSUE} @ v1")), "{shown}");
}

#[test]
fn verify_of_a_missing_root_suggests_quire_init_as_other_commands_do() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    let listed = run(quire(&missing).arg("list")).fails();
    let verified = run(quire(&missing).arg("verify")).fails();
    assert!(listed.contains("quire init"), "{listed}");
    assert!(verified.contains("quire init"), "{verified}");
    assert!(!missing.exists());
}

#[test]
fn a_bag_is_never_written_over_an_existing_folder_nor_left_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("bags/taken");
    fs::create_dir_all(&target).unwrap();
    fs::write(target.join("keep.txt"), "mine").unwrap();
    let stderr = run(quire(repo().join("archive"))
        .args(["export", "bag", ISSUE, "-o"])
        .arg(&target))
    .fails();
    assert!(stderr.contains("already exists"), "{stderr}");
    assert_eq!(paths(&target), ["keep.txt"]);
    // A new folder gets the whole bag, and nothing else is left beside it.
    let bag = dir.path().join("bags/new");
    run(quire(repo().join("archive"))
        .args(["export", "bag", ISSUE, "-o"])
        .arg(&bag))
    .ok();
    assert!(bag.join("bagit.txt").is_file() && bag.join("tagmanifest-sha512.txt").is_file());
    assert_eq!(paths(&dir.path().join("bags")).len(), paths(&bag).len() + 3);
}

#[test]
fn a_missing_folder_and_a_created_time_without_its_form_are_told_apart_from_other_errors() {
    let (dir, archive) = sample_archive();
    let missing = dir.path().join("no-such-issue");
    let stderr = run(quire(&archive).arg("ingest").arg(&missing)).fails();
    assert!(stderr.contains("no-such-issue: does not exist"), "{stderr}");
    let file = dir.path().join("a-file.txt");
    fs::write(&file, "not an issue").unwrap();
    let stderr = run(quire(&archive).arg("ingest").arg(&file)).fails();
    assert!(stderr.contains("a-file.txt: is not a folder"), "{stderr}");
    assert!(
        stderr.contains("unpack a tar or other archive first"),
        "{stderr}"
    );
    let folder = sample_issue();
    let stderr = run(quire(&archive)
        .arg("ingest")
        .arg(&folder)
        .args(["--created", "2020-01-01"]))
    .fails();
    assert!(
        stderr.contains("--created")
            && stderr.contains("RFC 3339")
            && stderr.contains("T09:30:00Z"),
        "{stderr}"
    );
}

#[test]
fn init_on_a_storage_root_says_it_is_one_already_and_changes_nothing() {
    let (_dir, archive) = sample_archive();
    let before = fs::read(archive.join("0=ocfl_1.1")).unwrap();
    let stderr = run(quire(&archive).arg("init")).fails();
    assert!(
        stderr.contains("is an OCFL storage root already") && !stderr.contains("not an OCFL"),
        "{stderr}"
    );
    assert_eq!(fs::read(archive.join("0=ocfl_1.1")).unwrap(), before);
}

#[test]
fn a_version_nobody_is_named_for_records_no_user_rather_than_an_invented_one() {
    let (dir, archive) = sample_archive();
    let folder = sample_with_added_text(dir.path(), "anonymous", "\nA line.\n");
    let mut ingest = quire(&archive);
    for name in ["QUIRE_USER", "QUIRE_EMAIL", "USER", "LOGNAME"] {
        ingest.env_remove(name);
    }
    run(ingest.arg("ingest").arg(&folder)).ok();
    let inventory: serde_json::Value =
        serde_json::from_slice(&fs::read(object_dir(&archive).join("inventory.json")).unwrap())
            .unwrap();
    let v2 = &inventory["versions"]["v2"];
    assert!(v2.get("user").is_none(), "{v2}");
    // An address alone names the user by it.
    let folder = sample_with_added_text(dir.path(), "addressed", "\nAnother line.\n");
    let mut ingest = quire(&archive);
    for name in ["QUIRE_USER", "USER", "LOGNAME"] {
        ingest.env_remove(name);
    }
    run(ingest.arg("ingest").arg(&folder)).ok();
    let inventory: serde_json::Value =
        serde_json::from_slice(&fs::read(object_dir(&archive).join("inventory.json")).unwrap())
            .unwrap();
    assert_eq!(
        inventory["versions"]["v3"]["user"],
        serde_json::json!({ "name": "librarian@example.org", "address": "mailto:librarian@example.org" })
    );
    // Valid; ocfl-py notes only the version without a user (W007), as the README says.
    if let Some(report) = ocfl_py_root_report(&archive) {
        assert!(ocfl_py_says_valid(&report), "{report}");
        let notes: Vec<&str> = report.lines().filter(|l| l.contains("][W")).collect();
        assert!(
            !notes.is_empty()
                && notes
                    .iter()
                    .all(|l| l.contains("[W007b]") && l.contains("v2")),
            "{report}"
        );
    }
}

#[test]
fn a_folder_that_looks_like_another_issue_is_warned_about_before_it_replaces_one() {
    let (dir, archive) = sample_archive();
    // Another publication's issue, made from a copy whose id was left as it was.
    let folder = sample_copy(dir.path(), "template");
    edit_file(&folder.join("issue.toml"), |toml| {
        toml.replace(
            "title = \"Beijing Review\"",
            "title = \"The Harbour Gazette\"",
        )
        .replace(
            "id = \"full-text-the-internet-in-china\"",
            "id = \"harbour-reopens\"",
        )
    });
    let dry = run(quire(&archive).args(["ingest", "--dry-run"]).arg(&folder));
    let stderr = dry.stderr.clone();
    dry.ok();
    assert!(
        stderr.contains(
            "the publication's title changes from `Beijing Review` (v1) to `The Harbour Gazette`"
        ) && stderr.contains("none of the 1 article of v1 is in this folder"),
        "{stderr}"
    );
    // A title corrected in place, the articles kept: no such warning.
    let fixed = sample_copy(dir.path(), "fixed");
    edit_file(&fixed.join("issue.toml"), |toml| {
        toml.replace("title = \"Full Text:", "title = \"Full text:")
    });
    let run_fixed = run(quire(&archive).arg("ingest").arg(&fixed));
    assert!(
        !run_fixed.stderr.contains("warning"),
        "{}",
        run_fixed.stderr
    );
    run_fixed.ok();
}

#[test]
fn an_output_of_dash_is_standard_output_and_no_file_named_dash_is_made() {
    let (dir, archive) = sample_archive();
    let file = dir.path().join("sample.epub");
    run(quire(&archive)
        .args(["export", "epub", ISSUE, "-o"])
        .arg(&file))
    .ok();
    let piped = quire(&archive)
        .args(["export", "epub", ISSUE, "-o", "-"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        piped.status.success(),
        "{}",
        String::from_utf8_lossy(&piped.stderr)
    );
    assert!(piped.stdout == fs::read(&file).unwrap(), "the same bytes");
    assert!(String::from_utf8_lossy(&piped.stderr).contains("quire: wrote standard output ("));
    assert!(!dir.path().join("-").exists());
    let zip = quire(&archive)
        .args(["export", "bag", ISSUE, "--zip", "-o", "-"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(zip.status.success() && zip.stdout.starts_with(b"PK\x03\x04"));
    let folder = run(quire(&archive)
        .args(["export", "bag", ISSUE, "-o", "-"])
        .current_dir(dir.path()))
    .fails();
    assert!(folder.contains("give --zip"), "{folder}");
    assert!(!dir.path().join("-").exists());
}

/// A version keeps who made it and why for good: an address that is not one, or an empty
/// name or message, is refused as a wrong argument before anything is written.
#[test]
fn an_address_that_is_not_one_or_an_empty_name_or_message_is_refused_before_anything_is_written() {
    let (dir, archive) = sample_archive();
    let folder = sample_with_added_text(dir.path(), "metadata", "\nA line.\n");
    let before = tree(&archive);
    for (args, expected) in [
        (&["--email", "not-an-address"][..], "not an e-mail address"),
        (&["--email", "a b@example.org"], "not an e-mail address"),
        (&["--email", "@example.org"], "not an e-mail address"),
        (&["--user", ""], "'--user <USER>': must not be empty"),
        (&["--user", "  "], "must not be empty"),
        (&["-m", ""], "'--message <MESSAGE>': must not be empty"),
    ] {
        let refused = run(quire(&archive).arg("ingest").arg(&folder).args(args)).fails();
        assert!(refused.contains(expected), "{args:?}: {refused}");
    }
    let refused = run(quire(&archive)
        .env("QUIRE_EMAIL", "nobody")
        .arg("ingest")
        .arg(&folder))
    .fails();
    assert!(refused.contains("not an e-mail address"), "{refused}");
    assert_unchanged(&archive, &before, "refused version metadata");
    // A mailto: URI is an address too; a name alone gets a hint that asks only for the
    // address.
    let named = run(quire(&archive)
        .env_remove("QUIRE_EMAIL")
        .args(["ingest", "--user", "A. Librarian"])
        .arg(&folder))
    .ok_stderr();
    assert!(
        named.contains("hint: record how to reach A. Librarian with --email ADDRESS"),
        "{named}"
    );
    let folder = sample_with_added_text(dir.path(), "addressed", "\nAnother line.\n");
    run(quire(&archive)
        .args(["ingest", "--email", "mailto:editor@example.org"])
        .arg(&folder))
    .ok();
}

/// Where an output cannot go, the error says why in words that are true: a folder given as
/// the file, a file where a folder should be; not the system's "File exists".
#[test]
fn an_output_path_that_cannot_be_written_is_refused_saying_what_is_in_the_way() {
    let dir = tempfile::tempdir().unwrap();
    let archive = repo().join("archive");
    let folder = dir.path().join("out");
    fs::create_dir(&folder).unwrap();
    let file = dir.path().join("afile");
    fs::write(&file, "x").unwrap();
    let quire_here =
        |args: &[&str]| run(quire(&archive).args(args).current_dir(dir.path())).fails();
    let refused = quire_here(&["export", "pdf", ISSUE, "-o", "out/"]);
    assert!(
        refused.contains(
            "out/: cannot write: is a folder; give the name of the file to write, such as out/NAME"
        ),
        "{refused}"
    );
    let refused = quire_here(&["export", "epub", ISSUE, "-o", "afile/x.epub"]);
    assert!(
        refused.contains("afile/x.epub: cannot write: afile is a file, not a folder"),
        "{refused}"
    );
    let refused = quire_here(&["export", "all", "--dir", "afile"]);
    assert!(
        refused.contains(": cannot write: afile is a file, not a folder"),
        "{refused}"
    );
    assert!(!refused.contains("File exists"), "{refused}");
    let refused = quire_here(&["checkout", ISSUE, "afile"]);
    assert!(
        refused.contains("afile: is a file, not a folder; checkout needs a new folder"),
        "{refused}"
    );
    let refused = quire_here(&["checkout", ISSUE, "afile/co"]);
    assert!(
        refused.contains("afile/co: afile is a file, not a folder"),
        "{refused}"
    );
    assert_eq!(fs::read(&file).unwrap(), b"x");
}

/// macOS stores a name decomposed (NFD) while a name typed in issue.toml is composed (NFC):
/// `ls` shows the two alike, so the error says that the spelling differs.
#[test]
fn a_body_whose_name_differs_only_in_unicode_normalization_is_named_as_such() {
    let (dir, archive) = sample_archive();
    let folder = sample_copy(dir.path(), "nfd");
    fs::rename(
        folder.join(SAMPLE_ARTICLE),
        folder.join("articles/cafe\u{301}.md"),
    )
    .unwrap();
    edit_file(&folder.join("issue.toml"), |toml| {
        toml.replace(SAMPLE_ARTICLE, "articles/caf\u{e9}.md")
    });
    let refused = run(quire(&archive).args(["ingest", "--dry-run"]).arg(&folder)).fails();
    assert!(
        refused.contains("body `articles/caf\u{e9}.md` is not in the source folder by that name: the file there has it in another Unicode normalization form"),
        "{refused}"
    );
}

/// One of a thing is one thing: "1 issue", "1 article", "1 new content file".
#[test]
fn counts_of_one_are_in_the_singular() {
    let (dir, archive) = sample_archive();
    let folder = sample_with_added_text(dir.path(), "one", "\nOne more line.\n");
    let line = run(quire(&archive).arg("ingest").arg(&folder)).ok();
    assert!(line.contains("(1 new content file, "), "{line}");
    let site = run(quire(&archive)
        .args(["site", "--dir"])
        .arg(dir.path().join("site")))
    .ok();
    assert_contains_all(
        &site,
        &[
            ": 1 issue (1 made again), ",
            "; 1 article in the search index; ",
        ],
    );
}

/// Every argument says what it is, no option shows an empty default, and the top-level help
/// lists the exit codes as the README does.
#[test]
fn every_argument_has_help_and_no_option_shows_an_empty_default() {
    let help_of = |args: &[&str]| run(quire("archive").args(args).arg("--help")).ok();
    for (args, expected) in [
        (&["log"][..], "<ID>  The issue id, or a full OCFL object id"),
        (&["diff"], "<FROM>  The earlier version: vN, VN or N"),
        (&["diff"], "<TO>    The later version: vN, VN or N"),
        (
            &["checkout"],
            "<DEST>   A new (or empty) folder to write the source folder into",
        ),
        (
            &["export", "bag"],
            "--zip                Write the bag as one zip",
        ),
        (&["export", "pdf"], "The paper size"),
    ] {
        let text = help_of(args);
        assert!(
            text.contains(expected),
            "{args:?} lacks `{expected}`:\n{text}"
        );
    }
    for args in [&["feeds"][..], &["site"]] {
        let text = help_of(args);
        assert!(!text.contains("[default: \"\"]"), "{args:?}:\n{text}");
    }
    let text = run(quire("archive").arg("--help")).ok();
    let squeezed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_contains_all(
        &squeezed,
        &[
            "damage that remains (repair, copy)",
            "files that could not be made while the rest were (export all, site)",
            "an inventory that could not be read (list, export all, feeds, site, copy)",
        ],
    );
}

/// The README's rule for JSON records: a field with no value is left out, never null or an
/// empty list.
#[test]
fn json_records_leave_out_fields_with_no_value_rather_than_writing_null_or_empty() {
    let (dir, archive) = sample_archive();
    let folder = sample_with_added_text(dir.path(), "again", "\nA line.\n");
    let exports = dir.path().join("exports");
    let mut outputs = vec![run(quire(&archive).args(["ingest", "--json"]).arg(&folder)).ok()];
    for args in [
        &["list", "--json"][..],
        &["log", ISSUE, "--json"],
        &["diff", ISSUE, "1", "2", "--json"],
        &["repair", "--json"],
    ] {
        outputs.push(run(quire(&archive).args(args)).ok());
    }
    outputs.push(
        run(quire(&archive)
            .args(["export", "all", "--json", "--formats", "epub", "--dir"])
            .arg(&exports))
        .ok(),
    );
    outputs.push(run(quire(&archive).args(["verify", "--format", "json"])).ok());
    fn check(value: &serde_json::Value, record: &str) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, field) in map {
                    let empty = field.is_null() || field.as_array().is_some_and(|a| a.is_empty());
                    // Lists of changes are data (nothing added), not an unset field.
                    let listed = ["added", "changed", "removed", "files"].contains(&key.as_str());
                    assert!(!empty || listed, "`{key}` has no value in {record}");
                    check(field, record);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|i| check(i, record)),
            _ => {}
        }
    }
    for output in &outputs {
        for line in output.lines() {
            check(&serde_json::from_str(line).unwrap(), line);
        }
    }
    let ingest: serde_json::Value =
        serde_json::from_str(outputs[0].lines().next().unwrap()).unwrap();
    assert!(ingest["data"].get("warnings").is_none(), "{ingest}");
}

/// The binary stays thin: each of its files, one per command group, fits a read (400 lines),
/// and its dispatch has no `unreachable!`.
#[test]
fn every_file_of_the_command_line_stays_under_four_hundred_lines() {
    let cli = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cli");
    let files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(&cli)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    assert!(files.len() >= 8, "{files:?}");
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        let lines = text.lines().count();
        assert!(lines <= 400, "{}: {lines} lines", file.display());
        assert!(!text.contains("unreachable!"), "{}", file.display());
    }
}

/// Functions stay short enough to read (150 lines), outside the PDF composer (its rewrite is
/// the PDF issue's): a function runs from its `fn` line to the brace that closes it at its
/// own indentation.
#[test]
fn no_function_outside_the_pdf_composer_runs_over_a_hundred_and_fifty_lines() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let composer = src.join("export/pdf/compose");
    let mut long = Vec::new();
    for entry in walkdir::WalkDir::new(&src) {
        let path = entry.unwrap().into_path();
        if path.starts_with(&composer) || path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (at, line) in lines.iter().enumerate() {
            let code = line.trim_start();
            let indent = &line[..line.len() - code.len()];
            let is_fn = ["fn ", "pub fn ", "pub(crate) fn ", "pub(super) fn "]
                .iter()
                .any(|p| code.starts_with(p));
            if !is_fn || code.ends_with(';') {
                continue;
            }
            let close = format!("{indent}}}");
            let end = lines[at..].iter().position(|l| *l == close).unwrap_or(0);
            if end > 150 {
                long.push(format!("{}:{} ({end} lines)", path.display(), at + 1));
            }
        }
    }
    assert!(long.is_empty(), "{long:?}");
}
