//! Another OCFL tool reads what quire writes, and quire reads and extends what it writes:
//! rocfl, a Rust implementation with its own validator, reader and writer (ocfl-py checks
//! quire's roots across the suite). Each version is compared byte for byte, both ways, with
//! its message and author.

use crate::support::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

const ID: &str = "urn:quire:beijing-review-sample";

/// `rocfl -r ROOT ARGS...`, its output as text.
fn rocfl(rocfl: &Path, root: &Path, args: &[&str]) -> Run {
    run(Command::new(rocfl).arg("-S").arg("-r").arg(root).args(args))
}

/// rocfl, a scratch folder and a storage root rocfl made in it (OCFL 1.1, layout 0004), or
/// `None` (the test is skipped, and says so) when rocfl is not installed.
fn rocfl_root() -> Option<(std::path::PathBuf, tempfile::TempDir, std::path::PathBuf)> {
    let tool = tool("rocfl")?;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    rocfl(&tool, &root, &["init"]).ok();
    Some((tool, dir, root))
}

/// The object ids `quire list --json` gives for a root.
fn listed_objects(root: &Path) -> Vec<String> {
    let list = run(quire(root).args(["list", "--json"])).ok();
    json_lines(&list)
        .iter()
        .map(|r| {
            r["data"]["object_id"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

/// rocfl's verdict on a whole storage root: valid, every object and the hierarchy.
#[track_caller]
fn assert_rocfl_valid(tool: &Path, root: &Path) {
    let verdict = rocfl(tool, root, &["validate"]);
    assert_eq!(
        verdict.code,
        Some(0),
        "{}{}",
        verdict.stdout,
        verdict.stderr
    );
    assert_contains_all(
        &verdict.stdout,
        &[
            &format!("Object {ID} is valid"),
            "Invalid objects: 0",
            "Storage issues:  0",
        ],
    );
}

/// A version's files as rocfl gives them: its listing, and each file's bytes by `rocfl cat`.
fn rocfl_version(tool: &Path, root: &Path, version: &str) -> BTreeMap<String, Vec<u8>> {
    let listing = rocfl(tool, root, &["ls", "-v", version, ID]).ok();
    listing
        .lines()
        .map(|path| {
            let bytes = Command::new(tool)
                .arg("-r")
                .arg(root)
                .args(["cat", "-v", version, ID, path])
                .output()
                .unwrap();
            assert!(bytes.status.success(), "rocfl cat {version} {path}");
            (path.to_string(), bytes.stdout)
        })
        .collect()
}

/// A version's files as quire checks them out.
fn quire_version(archive: &Path, version: &str, scratch: &Path) -> BTreeMap<String, Vec<u8>> {
    let folder = scratch.join(format!("checkout-{version}"));
    run(quire(archive)
        .arg("checkout")
        .arg(format!("beijing-review-sample@{version}"))
        .arg(&folder))
    .ok();
    tree(&folder)
}

/// The sample issue with a line added, a picture and a note whose name has a space and an
/// accent (rocfl and quire must agree on logical paths that are not plain ASCII).
fn second_folder(dir: &Path) -> std::path::PathBuf {
    let folder = sample_with_added_text(dir, "second", "\nA line added in the second version.\n");
    fs::create_dir_all(folder.join("assets")).unwrap();
    fs::copy(
        fixtures().join("web/html/images/harbour.png"),
        folder.join("assets/harbour.png"),
    )
    .unwrap();
    fs::write(folder.join("sources/notes é 1.txt"), "Captured by hand.\n").unwrap();
    folder
}

#[test]
fn rocfl_validates_and_reads_every_version_quire_writes_byte_for_byte() {
    let Some(tool) = tool("rocfl") else { return };
    let dir = tempfile::tempdir().unwrap();
    let second = second_folder(dir.path());
    for layout in ["0002", "0003", "0004"] {
        let scratch = dir.path().join(layout);
        let archive = scratch.join("archive");
        run(quire(&archive).args(["init", "--layout", layout])).ok();
        run(quire(&archive).arg("ingest").arg(sample_issue())).ok();
        run(quire(&archive)
            .arg("ingest")
            .arg(&second)
            .args(["-m", "Second version: a line, a picture, a note"]))
        .ok();
        // Back to the first version's files: a version of content stored in v1 only.
        run(quire(&archive).arg("ingest").arg(sample_issue())).ok();
        assert_rocfl_valid(&tool, &archive);

        for (version, files) in [("v1", 3), ("v2", 5), ("v3", 3)] {
            let theirs = rocfl_version(&tool, &archive, version);
            let ours = quire_version(&archive, version, &scratch);
            assert_eq!(ours.len(), files, "{layout} {version}: {:?}", ours.keys());
            assert_eq!(
                theirs.keys().collect::<Vec<_>>(),
                ours.keys().collect::<Vec<_>>(),
                "{layout} {version}"
            );
            assert!(
                theirs == ours,
                "{layout} {version}: rocfl reads other bytes"
            );
        }
        let log = rocfl(&tool, &archive, &["log", ID]).ok();
        assert_contains_all(
            &log,
            &[
                "Version 3",
                "Author:  Test Librarian <mailto:librarian@example.org>",
                "Message: Second version: a line, a picture, a note",
                "Version 1",
            ],
        );
    }
}

#[test]
fn quire_reads_and_extends_an_object_rocfl_writes_and_rocfl_reads_it_back() {
    // rocfl's own choices: OCFL 1.1, layout 0004 (hashed n-tuple), its staging extension.
    let Some((tool, dir, root)) = rocfl_root() else {
        return;
    };
    rocfl(&tool, &root, &["new", ID]).ok();
    let sample = sample_issue();
    let mut copy = Command::new(&tool);
    copy.arg("-r").arg(&root).args(["cp", "-r", ID]);
    for part in ["issue.toml", "articles", "sources"] {
        copy.arg(sample.join(part));
    }
    run(copy.args(["--", "/"])).ok();
    rocfl(
        &tool,
        &root,
        &[
            "commit",
            ID,
            "-n",
            "Ann Keeper",
            "-a",
            "mailto:ann@example.org",
            "-m",
            "The issue, written by rocfl",
        ],
    )
    .ok();

    // quire: valid (rocfl's staging folder is no registered extension: the spec's W016 and
    // nothing else), its log and its checkout as rocfl wrote them.
    let verdict = run(quire(&root).args(["verify", "--format", "json"])).ok();
    let codes = json_lines(&verdict)
        .into_iter()
        .filter(|r| r["type"] == "finding")
        .map(|r| format!("{} {}", r["data"]["code"], r["data"]["path"]))
        .collect::<Vec<_>>();
    assert_eq!(
        codes,
        ["\"W016\" \"extensions/rocfl-staging\""],
        "{verdict}"
    );
    let log = run(quire(&root).args(["log", "beijing-review-sample"])).ok();
    assert!(
        log.contains("Ann Keeper <mailto:ann@example.org>\n    The issue, written by rocfl"),
        "{log}"
    );
    assert_eq!(
        quire_version(&root, "v1", dir.path()),
        tree(&sample),
        "quire checks out what rocfl stored"
    );

    // quire adds a version to rocfl's object; rocfl validates it and reads it back.
    run(quire(&root)
        .arg("ingest")
        .arg(second_folder(dir.path()))
        .args(["-m", "Extended by quire"]))
    .ok();
    assert_rocfl_valid(&tool, &root);
    assert!(
        rocfl_version(&tool, &root, "v2") == quire_version(&root, "v2", dir.path()),
        "rocfl reads quire's v2 as quire does"
    );
    let log = rocfl(&tool, &root, &["log", ID]).ok();
    assert!(
        log.contains("Author:  Test Librarian <mailto:librarian@example.org>"),
        "{log}"
    );
    run(quire(&root).args(["verify"])).ok();
}

#[test]
fn an_object_rocfl_names_without_a_scheme_is_read_verified_and_copied_by_that_name() {
    let Some((tool, dir, root)) = rocfl_root() else {
        return;
    };
    // `my-object` is an OCFL id as good as any URI; an issue id would name `urn:quire:…`.
    let file = dir.path().join("h.txt");
    fs::write(&file, "hello\n").unwrap();
    rocfl_plain_object(&tool, &root, "my-object", &file);
    let log = run(quire(&root).args(["log", "my-object"])).ok();
    assert!(log.contains("One file"), "{log}");
    let cat = run(quire(&root).args(["cat", "my-object@v1", "h.txt"])).ok();
    assert_eq!(cat, "hello\n");
    let verdict = run(quire(&root).args(["verify", "my-object"])).ok();
    assert!(verdict.contains("VALID: 1 object"), "{verdict}");
    // An issue another tool stored under its own id is the issue id's object before an
    // object of that very id, as ingest would write to it.
    rocfl_issue_object(&tool, &root, "ns:trial");
    rocfl_plain_object(&tool, &root, "beijing-review-sample", &file);
    let log = run(quire(&root).args(["log", "beijing-review-sample"])).ok();
    assert!(log.contains("The issue, written by rocfl"), "{log}");
    let to = new_archive(dir.path());
    run(quire(&root)
        .args(["copy", "my-object", "--from"])
        .arg(&root)
        .arg("--to")
        .arg(&to))
    .ok();
    assert_eq!(
        run(quire(&to).args(["cat", "my-object", "h.txt"])).ok(),
        "hello\n"
    );
}

/// A version that holds no file (rocfl commits one): its checkout is an empty folder and its
/// bag an empty payload that bagit-python validates.
#[test]
fn a_version_rocfl_made_empty_checks_out_as_an_empty_folder_and_bags_as_a_valid_empty_bag() {
    let Some((tool, dir, root)) = rocfl_root() else {
        return;
    };
    rocfl(&tool, &root, &["new", "urn:x:e"]).ok();
    rocfl(&tool, &root, &["commit", "urn:x:e", "-m", "Nothing yet"]).ok();
    let folder = dir.path().join("empty");
    run(quire(&root).args(["checkout", "urn:x:e@v1"]).arg(&folder)).ok();
    assert!(folder.is_dir() && fs::read_dir(&folder).unwrap().next().is_none());
    let bag = dir.path().join("bag");
    run(quire(&root)
        .args(["export", "bag", "urn:x:e", "-o"])
        .arg(&bag))
    .ok();
    assert!(bag.join("data").is_dir(), "{:?}", tree(&bag).keys());
    assert_eq!(fs::read(bag.join("manifest-sha512.txt")).unwrap(), b"");
    if let Some((valid, report)) = crate::bags::bagit_validate(&bag) {
        assert!(valid, "{report}");
    }
    let zip = dir.path().join("bag.zip");
    run(quire(&root)
        .args(["export", "bag", "urn:x:e", "--zip", "-o"])
        .arg(&zip))
    .ok();
    let unzipped = dir.path().join("unzipped");
    crate::bags::unzip(&zip, &unzipped);
    let inner = unzipped.join("urn:x:e-v1");
    assert!(inner.join("data").is_dir(), "{:?}", tree(&unzipped).keys());
    if let Some((valid, report)) = crate::bags::bagit_validate(&inner) {
        assert!(valid, "{report}");
    }
}

/// 0003 with md5 in tuples of 2 (its Example 2's algorithm) and 0004 with sha512 and a short
/// object root, as rocfl lays them out: quire ingests and copies into them where rocfl finds
/// the object, and rocfl validates the root.
#[test]
fn quire_writes_into_rocfl_roots_of_tuple_layouts_with_other_digests_where_rocfl_finds_them() {
    let Some(tool) = tool("rocfl") else { return };
    let (dir, source) = sample_archive();
    for (layout, config) in [
        (
            "0003-hash-and-id-n-tuple-storage-layout",
            r#"{"extensionName":"0003-hash-and-id-n-tuple-storage-layout","digestAlgorithm":"md5","tupleSize":2,"numberOfTuples":4}"#,
        ),
        (
            "0004-hashed-n-tuple-storage-layout",
            r#"{"extensionName":"0004-hashed-n-tuple-storage-layout","digestAlgorithm":"sha512","tupleSize":2,"numberOfTuples":2,"shortObjectRoot":true}"#,
        ),
    ] {
        for how in ["ingest", "copy"] {
            rocfl_root_written_by_quire(&tool, dir.path(), &source, layout, config, how);
        }
    }
}

/// The layouts that drop the id's prefix (0006 flat, 0007 in tuples, right-padded and
/// reversed), as rocfl lays them out: quire writes where rocfl finds the object, and an object
/// moved from where the layout puts it is E083.
#[test]
fn quire_writes_into_rocfl_roots_of_omit_prefix_layouts_and_finds_an_object_out_of_place() {
    let Some(tool) = tool("rocfl") else { return };
    let (dir, source) = sample_archive();
    for (layout, config, folder) in [
        (
            "0006-flat-omit-prefix-storage-layout",
            r#"{"extensionName":"0006-flat-omit-prefix-storage-layout","delimiter":":"}"#,
            "beijing-review-sample",
        ),
        (
            "0007-n-tuple-omit-prefix-storage-layout",
            r#"{"extensionName":"0007-n-tuple-omit-prefix-storage-layout","delimiter":":","tupleSize":4,"numberOfTuples":2,"zeroPadding":"right","reverseObjectRoot":true}"#,
            "elpm/as-w/beijing-review-sample",
        ),
    ] {
        let root =
            rocfl_root_written_by_quire(&tool, dir.path(), &source, layout, config, "ingest");
        assert!(
            root.join(folder).join("inventory.json").is_file(),
            "{layout}"
        );
        run(quire(&root).args(["verify"])).ok();
        fs::rename(root.join(folder), root.join("moved")).unwrap();
        let verdict = run(quire(&root).args(["verify"]));
        assert_eq!(verdict.code, Some(1), "{layout}: {}", verdict.stdout);
        assert!(
            verdict.stdout.contains("E083 moved"),
            "{layout}: {}",
            verdict.stdout
        );
    }
    // Two ids, one folder: another id's object where the layout puts the issue's is no damage,
    // and ingest says why it cannot write there.
    let root = dir.path().join("0006-shared");
    let config_file = dir.path().join("0006.json");
    let config_arg = config_file.to_str().unwrap();
    let flat = "0006-flat-omit-prefix-storage-layout";
    rocfl(&tool, &root, &["init", "-l", flat, "-c", config_arg]).ok();
    rocfl(&tool, &root, &["new", "ns:beijing-review-sample"]).ok();
    rocfl(
        &tool,
        &root,
        &["commit", "ns:beijing-review-sample", "-m", "Empty"],
    )
    .ok();
    let shown = run(quire(&root).args(["show", "beijing-review-sample"])).fails();
    assert!(
        shown.contains("no object `urn:quire:beijing-review-sample`"),
        "{shown}"
    );
    let refused = run(quire(&root).arg("ingest").arg(sample_issue())).fails();
    assert!(
        refused.contains("where object `ns:beijing-review-sample` stands"),
        "{refused}"
    );
}

/// A root rocfl made with `layout` and `config`, into which quire ingested (or copied) the
/// sample issue: rocfl reads it there and validates the root.
fn rocfl_root_written_by_quire(
    tool: &Path,
    dir: &Path,
    source: &Path,
    layout: &str,
    config: &str,
    how: &str,
) -> std::path::PathBuf {
    let config_file = dir.join(format!("{}.json", &layout[..4]));
    fs::write(&config_file, config).unwrap();
    let root = dir.join(format!("{}-{how}", &layout[..4]));
    let config_arg = config_file.to_str().unwrap();
    rocfl(tool, &root, &["init", "-l", layout, "-c", config_arg]).ok();
    match how {
        "ingest" => run(quire(&root).arg("ingest").arg(sample_issue())).ok(),
        _ => run(quire(&root)
            .args(["copy", "--from"])
            .arg(source)
            .arg("--to")
            .arg(&root))
        .ok(),
    };
    let toml = rocfl(tool, &root, &["cat", ID, "issue.toml"]).ok();
    assert_eq!(
        toml.as_bytes(),
        fs::read(sample_issue().join("issue.toml")).unwrap(),
        "{layout} {how}"
    );
    assert_rocfl_valid(tool, &root);
    root
}

/// rocfl writes `id` holding `file` alone, as its v1 ("One file").
fn rocfl_plain_object(tool: &Path, root: &Path, id: &str, file: &Path) {
    rocfl(tool, root, &["new", id]).ok();
    let mut copy = Command::new(tool);
    copy.arg("-r").arg(root).args(["cp", id]).arg(file);
    run(copy.args(["--", "/"])).ok();
    rocfl(tool, root, &["commit", id, "-m", "One file"]).ok();
}

/// rocfl writes `id` holding the sample issue (issue.toml id `beijing-review-sample`).
fn rocfl_issue_object(tool: &Path, root: &Path, id: &str) {
    rocfl(tool, root, &["new", id]).ok();
    let mut copy = Command::new(tool);
    copy.arg("-r").arg(root).args(["cp", "-r", id]);
    for part in ["issue.toml", "articles", "sources"] {
        copy.arg(sample_issue().join(part));
    }
    run(copy.args(["--", "/"])).ok();
    rocfl(
        tool,
        root,
        &["commit", id, "-m", "The issue, written by rocfl"],
    )
    .ok();
}

/// An issue another tool stored as `ns:sample`: checked out, edited and ingested, it becomes
/// that object's v2 (dry run included), not a second object `urn:quire:…` for the same issue,
/// and the issue id names it for the readers.
/// Two objects holding one issue: ingest refuses naming both, and `export all` writes
/// neither v1 to the one file name they would share, naming both.
#[test]
fn an_issue_another_tool_stored_under_its_own_id_gets_its_next_version_there() {
    let Some((tool, dir, root)) = rocfl_root() else {
        return;
    };
    rocfl_issue_object(&tool, &root, "ns:sample");
    let folder = dir.path().join("checkout");
    run(quire(&root).arg("checkout").arg("ns:sample").arg(&folder)).ok();
    add_to_article(&folder, "\nAn edit.\n");
    let planned = run(quire(&root)
        .args(["ingest", "--dry-run", "--json"])
        .arg(&folder))
    .ok();
    assert!(
        planned.contains(r#""id":"ns:sample","version":"v2""#),
        "{planned}"
    );
    run(quire(&root).arg("ingest").arg(&folder)).ok();
    assert_eq!(listed_objects(&root), ["ns:sample"]);
    assert!(rocfl(&tool, &root, &["cat", "ns:sample", SAMPLE_ARTICLE])
        .ok()
        .ends_with("An edit.\n"));
    // The issue id names that object for the readers too.
    let log = run(quire(&root).args(["log", "beijing-review-sample"])).ok();
    assert!(log.starts_with("v2 "), "{log}");
    let shown = run(quire(&root).args(["show", "beijing-review-sample@v1"])).ok();
    assert!(
        shown.starts_with("beijing-review-sample @ v1 (head is v2)"),
        "{shown}"
    );

    rocfl_issue_object(&tool, &root, "ns:other");
    let refused = run(quire(&root).arg("ingest").arg(&folder)).fails();
    assert_contains_all(
        &refused,
        &[
            "issue `beijing-review-sample` is held by object `ns:other`",
            "and object `ns:sample`",
        ],
    );
    let exports = dir.path().join("exports");
    let export = run(quire(&root)
        .args([
            "export",
            "all",
            "--all-versions",
            "--formats",
            "epub",
            "--json",
            "--dir",
        ])
        .arg(&exports));
    assert_eq!(export.code, Some(1), "{}{}", export.stdout, export.stderr);
    let failed: Vec<serde_json::Value> = json_lines(&export.stdout)
        .into_iter()
        .filter(|r| r["type"] == "failed")
        .collect();
    assert_eq!(failed.len(), 2, "{}", export.stdout);
    for record in &failed {
        assert_contains_all(
            record["data"]["error"].as_str().unwrap(),
            &[
                "`ns:other` v1 and `ns:sample` v1",
                "would all be exported as beijing-review-sample-v1.epub",
            ],
        );
    }
    assert!(!exports.join("beijing-review-sample-v1.epub").exists());
    assert!(exports.join("beijing-review-sample-v2.epub").exists());
}

/// rocfl writes an object `id` holding one file `x.txt` with `text`.
fn rocfl_object_with(tool: &Path, root: &Path, id: &str, text: &str) {
    let file = root.with_extension("x.txt");
    fs::write(&file, text).unwrap();
    rocfl(tool, root, &["new", id]).ok();
    run(Command::new(tool)
        .arg("-S")
        .arg("-r")
        .arg(root)
        .args(["cp", id])
        .arg(&file)
        .args(["--", "x.txt"]))
    .ok();
    rocfl(tool, root, &["commit", id, "-m", "m"]).ok();
}

/// Object ids that hold `@`: the whole id is read when it names an object (`mailto:…`), `ID@vN`
/// when only that reading names a version, and a text that names both an object and another
/// object's version is refused naming both readings and how to write each.
#[test]
fn an_object_id_holding_an_at_sign_is_read_as_itself_and_an_ambiguous_one_is_refused() {
    let Some((tool, dir, root)) = rocfl_root() else {
        return;
    };
    for (id, text) in [
        ("mailto:ann@example.org", "ann\n"),
        ("ns:obj@v1", "obj@v1\n"),
        ("ns:obj@2", "obj@2\n"),
        ("ns:obj", "obj\n"),
    ] {
        rocfl_object_with(&tool, &root, id, text);
    }
    let cat = |what: &str| run(quire(&root).args(["cat", what, "x.txt"]));
    for (what, text) in [
        ("mailto:ann@example.org", "ann\n"),
        ("mailto:ann@example.org@v1", "ann\n"),
        ("ns:obj@v1@v1", "obj@v1\n"),
        ("ns:obj@1", "obj\n"),
        // ns:obj has no v2: only the object ns:obj@2 is meant.
        ("ns:obj@2", "obj@2\n"),
        ("ns:obj", "obj\n"),
    ] {
        assert_eq!(cat(what).ok(), text, "{what}");
    }
    let refused = cat("ns:obj@v1").fails();
    assert_contains_all(
        &refused,
        &[
            "`ns:obj@v1` names both object `ns:obj@v1` and version v1 of object `ns:obj`",
            "write `ns:obj@v1@v1` for the first or `ns:obj@1` for the second",
        ],
    );
    let folder = dir.path().join("checkout");
    run(quire(&root)
        .args(["checkout", "mailto:ann@example.org"])
        .arg(&folder))
    .ok();
    assert_eq!(fs::read_to_string(folder.join("x.txt")).unwrap(), "ann\n");
    // The checkout names the object it read, not the other reading of the text.
    let other = run(quire(&root)
        .args(["checkout", "ns:obj@2"])
        .arg(dir.path().join("other")));
    assert_eq!(other.code, Some(0), "{}", other.stderr);
    assert!(
        other.stderr.contains("checked out ns:obj@2@v1 into"),
        "{}",
        other.stderr
    );
}

/// rocfl puts an object whose id holds `/` in a 0002 root as nested folders, which the flat
/// layout cannot map: quire reads it where a walk finds it, verify reports the id the layout
/// cannot map (E083), a copy of the whole root keeps it where it stands, and a copy into a
/// root whose layout cannot place it copies the others, names it and exits 1.
#[test]
fn an_object_a_flat_layout_cannot_place_is_read_where_it_stands_and_reported() {
    let Some(tool) = tool("rocfl") else { return };
    let dir = tempfile::tempdir().unwrap();
    let roots: Vec<_> = ["0002", "0004"]
        .iter()
        .map(|layout| {
            let root = dir.path().join(layout);
            let name = match *layout {
                "0002" => "0002-flat-direct-storage-layout",
                _ => "0004-hashed-n-tuple-storage-layout",
            };
            rocfl(&tool, &root, &["init", "-l", name]).ok();
            rocfl_object_with(&tool, &root, "ns:x/y", "nested\n");
            rocfl_object_with(&tool, &root, "ns:plain", "plain\n");
            root
        })
        .collect();
    let flat = &roots[0];
    assert!(flat.join("ns:x/y/0=ocfl_object_1.1").exists());
    assert_eq!(
        run(quire(flat).args(["cat", "ns:x/y", "x.txt"])).ok(),
        "nested\n"
    );
    let log = run(quire(flat).args(["log", "ns:x/y"])).ok();
    assert!(log.starts_with("v1 "), "{log}");
    let verdict = run(quire(flat).args(["verify", "--format", "json"]));
    assert_eq!(verdict.code, Some(1), "{}", verdict.stdout);
    let e083: Vec<String> = json_lines(&verdict.stdout)
        .into_iter()
        .filter(|r| r["type"] == "finding" && r["data"]["code"] == "E083")
        .map(|r| format!("{} {}", r["data"]["path"], r["data"]["message"]))
        .collect();
    assert_eq!(e083.len(), 1, "{}", verdict.stdout);
    assert_contains_all(
        &e083[0],
        &[
            "\"ns:x/y\"",
            "object `ns:x/y` has no storage path under the 0002",
        ],
    );

    // The whole root, into a new folder: the same root, the nested object included.
    let whole = dir.path().join("whole");
    run(quire(flat)
        .args(["copy", "--from"])
        .arg(flat)
        .arg("--to")
        .arg(&whole))
    .ok();
    assert!(whole.join("ns:x/y/0=ocfl_object_1.1").exists());
    assert_eq!(
        run(quire(&whole).args(["cat", "ns:x/y", "x.txt"])).ok(),
        "nested\n"
    );

    // From the 0004 root into a quire 0002 root: ns:plain is copied, ns:x/y named.
    let dest = dir.path().join("dest");
    run(quire(&dest).args(["init", "--layout", "0002"])).ok();
    let copy = run(quire(&roots[1])
        .args(["copy", "--from"])
        .arg(&roots[1])
        .arg("--to")
        .arg(&dest));
    assert_eq!(copy.code, Some(1), "{}{}", copy.stdout, copy.stderr);
    assert_contains_all(
        &copy.stderr,
        &[
            "not copied: ns:x/y:",
            "cannot be a folder name in the flat direct layout",
        ],
    );
    assert!(copy.stdout.contains("ns:plain"), "{}", copy.stdout);
    assert_eq!(
        run(quire(&dest).args(["cat", "ns:plain", "x.txt"])).ok(),
        "plain\n"
    );
}

/// `list` tells an object whose issue.toml is broken (not TOML) from one that holds none: the
/// first is named with the cause, as `show` gives it, and the exit code is 1; `--json` marks
/// each object's kind.
#[test]
fn list_names_a_broken_issue_toml_and_marks_what_each_object_is() {
    let Some((tool, dir, root)) = rocfl_root() else {
        return;
    };
    rocfl_issue_object(&tool, &root, "ns:issue");
    rocfl_object_with(&tool, &root, "ns:other", "not an issue\n");
    let bad = dir.path().join("issue.toml");
    fs::write(&bad, "this is = = not toml\n").unwrap();
    rocfl(&tool, &root, &["new", "ns:broken"]).ok();
    run(Command::new(&tool)
        .arg("-S")
        .arg("-r")
        .arg(&root)
        .args(["cp", "ns:broken"])
        .arg(&bad)
        .args(["--", "issue.toml"]))
    .ok();
    rocfl(&tool, &root, &["commit", "ns:broken", "-m", "m"]).ok();

    let show = run(quire(&root).args(["show", "ns:broken"])).fails();
    let listed = run(quire(&root).arg("list"));
    assert_eq!(listed.code, Some(1), "{}{}", listed.stdout, listed.stderr);
    let cause = show.trim().strip_prefix("quire: error: ").unwrap();
    assert_contains_all(&listed.stderr, &["`ns:broken`", cause]);
    // export all makes the other issue's book and names the broken one, as list does.
    let exports = dir.path().join("exports");
    let exported = run(quire(&root)
        .args(["export", "all", "--formats", "epub", "--dir"])
        .arg(&exports));
    assert_eq!(exported.code, Some(1), "{}", exported.stderr);
    assert_contains_all(
        &exported.stderr,
        &["quire: warning: not exported: `ns:broken`", cause],
    );
    assert_eq!(
        paths(&exports)
            .iter()
            .filter(|p| p.ends_with(".epub"))
            .count(),
        1
    );
    // So do the feeds (they once left it out without a word) and the site, which are made of
    // the rest and exit 1 for what they left out, as export all does; the object another tool
    // wrote, which is no quire issue, is no failure and goes unnamed.
    let feeds = run(quire(&root).args(["feeds", "--dir"]).arg(&exports));
    assert_eq!(feeds.code, Some(1), "{}", feeds.stderr);
    assert_contains_all(
        &feeds.stderr,
        &["quire: warning: left out of the feeds: `ns:broken`", cause],
    );
    let opds = fs::read_to_string(exports.join("opds.xml")).unwrap();
    assert!(opds.contains("Beijing Review"), "{opds}");
    let site = run(quire(&root)
        .args(["site", "--dir"])
        .arg(dir.path().join("site")));
    assert_eq!(site.code, Some(1), "{}", site.stderr);
    assert_contains_all(
        &site.stderr,
        &["quire: warning: left out of the site: `ns:broken`", cause],
    );
    for warnings in [&feeds.stderr, &site.stderr, &exported.stderr] {
        assert_eq!(
            warnings.matches("left out of the").count() + warnings.matches("not exported").count(),
            1,
            "{warnings}"
        );
    }
    assert_contains_all(
        &listed.stdout,
        &[
            "(issue.toml broken)",
            "(not a quire issue)",
            "Beijing Review",
        ],
    );
    let json = run(quire(&root).args(["list", "--json"]));
    let kinds: Vec<String> = json_lines(&json.stdout)
        .iter()
        .map(|r| format!("{} {}", r["data"]["object_id"], r["data"]["kind"]))
        .collect();
    assert_eq!(
        kinds,
        [
            "\"ns:broken\" \"broken_issue\"",
            "\"ns:issue\" \"issue\"",
            "\"ns:other\" \"not_an_issue\""
        ]
    );
}

/// `diff` of an object that holds no issue: the metadata is said not to be compared, once as a
/// warning and once in its place, never as "(none)" changed.
#[test]
fn diff_of_an_object_that_is_no_issue_says_its_metadata_was_not_compared() {
    let Some((tool, dir, root)) = rocfl_root() else {
        return;
    };
    rocfl_object_with(&tool, &root, "ns:other", "one\n");
    let file = dir.path().join("y.txt");
    fs::write(&file, "two\n").unwrap();
    run(Command::new(&tool)
        .arg("-S")
        .arg("-r")
        .arg(&root)
        .args(["cp", "ns:other"])
        .arg(&file)
        .args(["--", "y.txt"]))
    .ok();
    rocfl(&tool, &root, &["commit", "ns:other", "-m", "m"]).ok();
    let diff = run(quire(&root).args(["diff", "ns:other", "1", "2", "--text"]));
    assert_eq!(diff.code, Some(0), "{}", diff.stderr);
    assert!(
        diff.stderr.contains("metadata not compared"),
        "{}",
        diff.stderr
    );
    assert_contains_all(
        &diff.stdout,
        &[
            "added    y.txt",
            "metadata:\n  (not compared)\n",
            "text:\n  (not compared)\n",
        ],
    );
    assert_contains_none(&diff.stdout, &["(none)"]);
}

/// A copy of a whole rocfl root into a new folder takes the root's files and its layout's
/// configuration, but not rocfl's working area `extensions/rocfl-staging`.
#[test]
fn a_copy_of_a_rocfl_root_leaves_its_staging_area_behind() {
    let Some((tool, dir, root)) = rocfl_root() else {
        return;
    };
    rocfl_object_with(&tool, &root, "ns:other", "one\n");
    let staging = "extensions/rocfl-staging";
    let layout = "extensions/0004-hashed-n-tuple-storage-layout/config.json";
    assert!(root.join(staging).is_dir() && root.join(layout).is_file());
    let copy = dir.path().join("copy");
    run(quire(&root)
        .args(["copy", "--from"])
        .arg(&root)
        .arg("--to")
        .arg(&copy))
    .ok();
    assert!(!copy.join(staging).exists());
    assert_eq!(
        fs::read(copy.join(layout)).unwrap(),
        fs::read(root.join(layout)).unwrap()
    );
    rocfl(&tool, &copy, &["validate"]).ok();
}

/// The object another tool stored an issue in stands where the root's layout does not put it
/// (E083): ingest refuses to add a version, which would start a second object with its id.
#[test]
fn an_issue_in_a_misplaced_object_of_another_tool_is_not_given_a_second_object() {
    let Some((tool, _dir, root)) = rocfl_root() else {
        return;
    };
    rocfl_issue_object(&tool, &root, "ns:sample");
    let placed = object_dir(&root);
    let moved = root.join("aaa/bbb/ccc/moved");
    fs::create_dir_all(moved.parent().unwrap()).unwrap();
    fs::rename(&placed, &moved).unwrap();
    let before = tree(&root);
    let refused = run(quire(&root).arg("ingest").arg(sample_issue())).fails();
    assert_contains_all(
        &refused,
        &[
            "object `ns:sample` stands where the layout does not put it",
            "E083",
        ],
    );
    assert_unchanged(&root, &before, "a refused ingest");
}

/// `import-web` into an issue another tool stored as `ns:sample` updates that object, as
/// ingest does, rather than starting `urn:quire:…` beside it.
#[test]
fn import_web_into_an_issue_another_tool_stored_updates_that_object() {
    let Some((tool, _dir, root)) = rocfl_root() else {
        return;
    };
    rocfl_issue_object(&tool, &root, "ns:sample");
    let capture = sample_issue().join("sources/000_11fc1475ed7ff95f.txt");
    let report = run(quire(&root)
        .args(["import-web", "--issue", "beijing-review-sample", "--json"])
        .arg(&capture))
    .ok();
    assert!(report.contains(r#""id":"ns:sample""#), "{report}");
    assert_eq!(listed_objects(&root), ["ns:sample"]);
}
