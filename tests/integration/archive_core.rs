//! The archive core through the real binary: init, ingest, list, show, log, diff, cat,
//! checkout, and what ocfl-py says of the result.

use crate::support::*;
use std::fs;
use std::path::{Path, PathBuf};

const ISSUE: &str = "beijing-review-sample";
const ARTICLE: &str = "articles/full-text-the-internet-in-china.md";

/// The sample folder with a changed article body and update date.
fn changed_sample(dir: &Path) -> std::path::PathBuf {
    let folder = sample_with_added_text(dir, "changed", "\nA corrected closing paragraph.\n");
    edit_file(&folder.join("issue.toml"), |toml| {
        toml.replace("updated = \"2010-06-09\"", "updated = \"2010-06-10\"")
    });
    folder
}

#[test]
fn init_and_ingest_give_a_root_that_ocfl_py_finds_valid() {
    let (_dir, archive) = sample_archive();
    assert_ocfl_py_valid(&archive);
    let listed = json_lines(&run(quire(&archive).args(["list", "--json"])).ok());
    assert_eq!(listed.len(), 1);
    let data = &listed[0]["data"];
    assert_eq!(data["id"], ISSUE);
    assert_eq!(data["object_id"], "urn:quire:beijing-review-sample");
    assert_eq!(data["head"], "v1");
    assert_eq!(data["articles"], 1);
    assert_eq!(data["publication"], "Beijing Review");
    // The capture gives no cover date or issue title: none is invented.
    assert!(
        data.get("date").is_none() && data.get("title").is_none(),
        "{data}"
    );
    // No staging left behind, and the 0003 layout puts the object where the spec says.
    assert!(!archive.join("extensions/quire-staging").exists());
    assert_eq!(
        object_dir(&archive).strip_prefix(&archive).unwrap(),
        Path::new("fcd/3dd/5e6/urn%3aquire%3abeijing-review-sample")
    );
}

#[test]
fn a_second_version_stores_only_what_changed_and_history_tells_it() {
    let (dir, archive) = sample_archive();
    let changed = changed_sample(dir.path());
    let report = json_lines(
        &run(quire(&archive).arg("ingest").arg(&changed).args([
            "-m",
            "Correct the update date",
            "--json",
        ]))
        .ok(),
    );
    let data = &report[0]["data"];
    assert_eq!(
        (data["version"].as_str(), data["committed"].as_bool()),
        (Some("v2"), Some(true))
    );
    assert_eq!(
        data["changes"]["changed"],
        serde_json::json!(["articles/full-text-the-internet-in-china.md", "issue.toml"])
    );
    assert_eq!(data["stored_files"], 2);
    assert_ocfl_py_valid(&archive);

    // Forward delta: v2 holds only the two changed files; the capture stays in v1.
    let object = object_dir(&archive);
    let v2_content: Vec<String> = paths(&object.join("v2/content"))
        .into_iter()
        .filter(|p| p.contains('.'))
        .collect();
    assert_eq!(
        v2_content,
        ["articles/full-text-the-internet-in-china.md", "issue.toml"]
    );

    let log = json_lines(&run(quire(&archive).args(["log", ISSUE, "--json"])).ok());
    assert_eq!(log.len(), 2);
    assert_eq!(log[0]["data"]["version"], "v2");
    assert_eq!(log[0]["data"]["message"], "Correct the update date");
    assert_eq!(
        log[0]["data"]["user"]["address"],
        "mailto:librarian@example.org"
    );
    assert_eq!(log[0]["data"]["changed"].as_array().unwrap().len(), 2);
    assert_eq!(log[1]["data"]["version"], "v1");
    assert_eq!(log[1]["data"]["added"].as_array().unwrap().len(), 3);
    let human_log = run(quire(&archive).args(["log", ISSUE])).ok();
    assert!(
        human_log.starts_with("v2  ") && human_log.contains("    M issue.toml"),
        "{human_log}"
    );

    let diff = run(quire(&archive).args(["diff", ISSUE, "v1", "v2"])).ok();
    assert!(
        diff.contains("changed  articles/full-text-the-internet-in-china.md"),
        "{diff}"
    );
    assert!(
        diff.contains(
            "articles[full-text-the-internet-in-china].updated: 2010-06-09 -> 2010-06-10"
        ),
        "{diff}"
    );
    let diff_json =
        json_lines(&run(quire(&archive).args(["diff", ISSUE, "1", "2", "--json"])).ok());
    let fields: Vec<_> = diff_json.iter().filter(|r| r["type"] == "field").collect();
    assert_eq!(fields.len(), 1, "{diff_json:?}");

    let v1 =
        json_lines(&run(quire(&archive).args(["show", &format!("{ISSUE}@v1"), "--json"])).ok());
    assert_eq!(v1[0]["data"]["version"], "v1");
    assert_eq!(v1[0]["data"]["head"], "v2");
    assert_eq!(
        v1[0]["data"]["issue"]["sections"][0]["articles"][0]["updated"],
        "2010-06-09"
    );
    let head = run(quire(&archive).args(["show", ISSUE])).ok();
    assert!(
        head.contains("Full Text: The Internet in China  updated 2010-06-10"),
        "{head}"
    );

    // Checkout round trip, byte for byte, for both versions.
    run(quire(&archive)
        .args(["checkout", &format!("{ISSUE}@v1")])
        .arg(dir.path().join("v1")))
    .ok();
    assert_eq!(tree(&dir.path().join("v1")), tree(&sample_issue()));
    run(quire(&archive)
        .args(["checkout", ISSUE])
        .arg(dir.path().join("head")))
    .ok();
    assert_eq!(tree(&dir.path().join("head")), tree(&changed));
    let cat = quire(&archive)
        .args(["cat", &format!("{ISSUE}@v1"), ARTICLE])
        .output()
        .unwrap();
    assert_eq!(cat.stdout, fs::read(sample_issue().join(ARTICLE)).unwrap());
}

#[test]
fn identical_reingest_stores_nothing() {
    let (dir, archive) = sample_archive();
    let before = tree(&archive);
    let out = run(quire(&archive).arg("ingest").arg(sample_issue())).ok();
    assert!(
        out.contains("unchanged") && out.contains("nothing stored"),
        "{out}"
    );
    assert_unchanged(&archive, &before, "an unchanged ingest");
    // Hidden files and folders (.git, editor state) are no part of the issue.
    let folder = sample_copy(dir.path(), "with-hidden");
    fs::create_dir_all(folder.join(".git")).unwrap();
    fs::write(folder.join(".git/config"), "[core]\n").unwrap();
    fs::create_dir_all(folder.join("articles/.obsidian")).unwrap();
    fs::write(folder.join("articles/.obsidian/workspace"), "{}").unwrap();
    let out = run(quire(&archive).arg("ingest").arg(&folder)).ok();
    assert!(out.contains("unchanged"), "{out}");
    assert_unchanged(&archive, &before, "an unchanged ingest");
}

#[test]
fn checkout_refuses_logical_paths_that_leave_the_destination() {
    let (dir, archive) = sample_archive();
    // A hostile inventory: the state names `../escaped.txt` (sidecar made to match).
    let object = object_dir(&archive);
    let text = fs::read_to_string(object.join("inventory.json"))
        .unwrap()
        .replace("\"issue.toml\"", "\"../escaped.txt\"");
    fs::write(object.join("inventory.json"), &text).unwrap();
    let sidecar = format!("{}  inventory.json\n", sha512_hex(text.as_bytes()));
    fs::write(object.join("inventory.json.sha512"), sidecar).unwrap();
    let dest = dir.path().join("out/inner");
    let stderr = run(quire(&archive).args(["checkout", ISSUE]).arg(&dest)).fails();
    assert!(stderr.contains("logical path `../escaped.txt`"), "{stderr}");
    assert!(!dir.path().join("out/escaped.txt").exists() && !dest.exists());
}

#[test]
fn checkout_writes_logical_paths_with_a_backslash_or_a_drive_letter_as_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = "1.1/good/backslash_and_drive_letter_in_logical_paths";
    let root = root_of_fixtures(dir.path(), &[("object", fixture)]);
    let dest = dir.path().join("out");
    run(quire(&root)
        .args(["checkout", "urn:example:object-1"])
        .arg(&dest))
    .ok();
    // On Linux a backslash is a character of the file name like any other.
    assert_eq!(fs::read(dest.join("a\\b.txt")).unwrap(), b"backslash\n");
    assert_eq!(fs::read(dest.join("C:\\x.txt")).unwrap(), b"drive letter\n");
    assert_eq!(paths(&dest).len(), 2, "{:?}", paths(&dest));
    let shown = run(quire(&root).args(["cat", "urn:example:object-1", "a\\b.txt"])).ok();
    assert_eq!(shown, "backslash\n");
}

#[test]
fn content_already_stored_is_referenced_not_copied() {
    let (dir, archive) = sample_archive();
    // The same capture under a second name, and the article unchanged: nothing new to store
    // but the edited issue.toml.
    let folder = sample_copy(dir.path(), "copy");
    fs::copy(
        folder.join("sources/000_11fc1475ed7ff95f.txt"),
        folder.join("sources/again.txt"),
    )
    .unwrap();
    let report = json_lines(&run(quire(&archive).arg("ingest").arg(&folder).arg("--json")).ok());
    assert_eq!(report[0]["data"]["stored_files"], 0);
    assert_eq!(
        report[0]["data"]["changes"]["added"],
        serde_json::json!(["sources/again.txt"])
    );
    assert!(report[0]["data"]["warnings"][0]
        .as_str()
        .unwrap()
        .contains("not referenced"));
    assert!(!object_dir(&archive).join("v2/content").exists());
    assert_ocfl_py_valid(&archive);
}

#[test]
fn new_content_given_twice_is_stored_once_under_its_first_path_and_leaves_no_empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    let archive = archive_with_sample(dir.path());
    let folder = dir.path().join("twice");
    copy_dir(&sample_issue(), &folder);
    // The same new content at two new paths (staged twice while hashed, one taken back), and
    // the article changed in place (hashed, then read again to be stored).
    let bytes = b"a new plate, scanned once\n".repeat(4000);
    for path in ["assets/a/first.bin", "assets/z/deep/second.bin"] {
        fs::create_dir_all(folder.join(path).parent().unwrap()).unwrap();
        fs::write(folder.join(path), &bytes).unwrap();
    }
    let mut body = fs::read_to_string(folder.join(ARTICLE)).unwrap();
    body.push_str("\nA corrected closing paragraph.\n");
    fs::write(folder.join(ARTICLE), &body).unwrap();

    let report = json_lines(&run(quire(&archive).arg("ingest").arg(&folder).arg("--json")).ok());
    let data = &report[0]["data"];
    assert_eq!(data["stored_files"], 2, "{data}");
    assert_eq!(data["stored_bytes"], bytes.len() + body.len(), "{data}");
    let content = object_dir(&archive).join("v2/content");
    assert_eq!(
        paths(&content),
        [
            "articles",
            ARTICLE,
            "assets",
            "assets/a",
            "assets/a/first.bin"
        ]
    );
    assert!(!archive.join("extensions/quire-staging").exists());
    assert_ocfl_py_valid(&archive);
    run(quire(&archive).args(["verify", "--warnings-as-errors"])).ok();
    run(quire(&archive)
        .args(["checkout", ISSUE])
        .arg(dir.path().join("out")))
    .ok();
    assert_eq!(tree(&dir.path().join("out")), tree(&folder));
}

#[test]
fn strict_metadata_errors_name_the_file_and_the_problem() {
    // Each fixture is a whole issue.toml whose first lines say what quire must report.
    let (dir, archive) = sample_archive();
    let before = tree(&archive);
    let mut cases = 0;
    for entry in fs::read_dir(fixtures().join("bad-metadata")).unwrap() {
        let fixture = entry.unwrap().path();
        let text = fs::read_to_string(&fixture).unwrap();
        let expected: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# expect: "))
            .collect();
        assert!(
            !expected.is_empty(),
            "{} has no `# expect:` line",
            fixture.display()
        );
        let folder = sample_copy(dir.path(), fixture.file_stem().unwrap());
        fs::write(folder.join("issue.toml"), &text).unwrap();
        let stderr = run(quire(&archive).arg("ingest").arg(&folder)).fails();
        for expectation in expected {
            let expectation = expectation.replace("{folder}", &folder.display().to_string());
            assert!(
                stderr.contains(&expectation),
                "{}: expected `{expectation}` in:\n{stderr}",
                fixture.display()
            );
        }
        cases += 1;
    }
    assert!(cases >= 8, "only {cases} fixtures");
    assert_unchanged(&archive, &before, "a rejected ingest");
}

#[test]
fn folder_problems_are_reported_all_at_once() {
    let (dir, archive) = sample_archive();
    let folder = sample_copy(dir.path(), "messy");
    fs::write(folder.join("notes.txt"), "stray").unwrap();
    fs::create_dir(folder.join("drafts")).unwrap();
    fs::write(folder.join(ARTICLE), b"caf\xe9\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/hostname", folder.join("sources/link.txt")).unwrap();
    fs::write(folder.join(".DS_Store"), "ignored").unwrap();
    let stderr = run(quire(&archive).arg("ingest").arg(&folder)).fails();
    let name = |p: &str| folder.join(p).display().to_string();
    assert!(
        stderr.contains(&format!("{}: unexpected file", name("notes.txt"))),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{}: unexpected folder", name("drafts"))),
        "{stderr}"
    );
    #[cfg(unix)]
    assert!(
        stderr.contains(&format!("{}: is a symbolic link", name("sources/link.txt"))),
        "{stderr}"
    );
    assert!(!stderr.contains(".DS_Store"), "{stderr}");

    // With the layout fixed, the non-UTF-8 body is named with its line.
    fs::remove_file(folder.join("notes.txt")).unwrap();
    fs::remove_dir(folder.join("drafts")).unwrap();
    #[cfg(unix)]
    fs::remove_file(folder.join("sources/link.txt")).unwrap();
    let stderr = run(quire(&archive).arg("ingest").arg(&folder)).fails();
    assert!(
        stderr.contains(&format!("{}:1: is not UTF-8 text", name(ARTICLE))),
        "{stderr}"
    );
}

#[test]
fn checkout_refuses_a_folder_with_content_and_reads_are_checked() {
    let (dir, archive) = sample_archive();
    let busy = dir.path().join("busy");
    fs::create_dir(&busy).unwrap();
    fs::write(busy.join("keep.txt"), "mine").unwrap();
    let stderr = run(quire(&archive).args(["checkout", ISSUE]).arg(&busy)).fails();
    assert!(stderr.contains("not empty"), "{stderr}");
    assert_eq!(fs::read_to_string(busy.join("keep.txt")).unwrap(), "mine");

    // A damaged content file is caught on read, naming the file.
    let stored = object_dir(&archive).join("v1/content").join(ARTICLE);
    let mut bytes = fs::read(&stored).unwrap();
    bytes[10] ^= 0x20;
    fs::write(&stored, bytes).unwrap();
    let stderr = run(quire(&archive).args(["cat", ISSUE, ARTICLE])).fails();
    assert!(
        stderr.contains(&stored.display().to_string())
            && stderr.contains("does not match its sha512 digest"),
        "{stderr}"
    );
    let out = dir.path().join("out");
    let stderr = run(quire(&archive).args(["checkout", ISSUE]).arg(&out)).fails();
    assert!(stderr.contains("does not match"), "{stderr}");
    assert!(!out.exists(), "a failed checkout left a partial folder");
}

#[test]
fn unknown_issues_versions_and_files_are_clear_errors() {
    let (dir, archive) = sample_archive();
    assert!(run(quire(&archive).args(["show", "no-such-issue"]))
        .fails()
        .contains("no object `urn:quire:no-such-issue`"));
    assert!(run(quire(&archive).args(["show", &format!("{ISSUE}@v7")]))
        .fails()
        .contains("has no version v7 (head is v1)"));
    assert!(run(quire(&archive).args(["cat", ISSUE, "nope.md"]))
        .fails()
        .contains("has no file `nope.md`"));
    assert!(run(quire(dir.path().join("missing")).arg("list"))
        .fails()
        .contains("nothing is there (create a storage root with `quire init`)"));
    let folder = dir.path().join("papers");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("notes.txt"), "not an archive").unwrap();
    let not_empty = run(quire(&folder).arg("init")).fails();
    assert!(not_empty.contains("not empty"), "{not_empty}");
    let already = run(quire(&archive).arg("init")).fails();
    assert!(
        already.contains("is an OCFL storage root already"),
        "{already}"
    );
}

#[test]
fn every_layout_writes_objects_that_ocfl_py_accepts() {
    for layout in ["0002", "0003", "0004"] {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("archive");
        run(quire(&archive).args(["init", "--layout", layout])).ok();
        run(quire(&archive).arg("ingest").arg(sample_issue())).ok();
        assert_ocfl_py_object_valid(&object_dir(&archive));
        if layout != "0004" {
            // ocfl-py's root validation knows 0002 and 0003 only.
            assert_ocfl_py_valid(&archive);
        }
        let listed = json_lines(&run(quire(&archive).args(["list", "--json"])).ok());
        assert_eq!(listed[0]["data"]["id"], ISSUE, "layout {layout}");
    }
}

#[test]
fn objects_other_tools_placed_are_listed_where_they_stand() {
    let (dir, archive) = sample_archive();
    // An object copied in by hand, not where the layout would put it.
    copy_dir(
        &fixtures().join("ocfl/1.1/good/minimal_one_version"),
        &archive.join("plain"),
    );
    let listed = json_lines(&run(quire(&archive).args(["list", "--json"])).ok());
    assert_eq!(
        data_strings(&listed, "object_id"),
        ["urn:example:object-1", "urn:quire:beijing-review-sample"]
    );
    assert!(listed[0]["data"].get("title").is_none());
    // verify names the misplacement; export all skips what is not an issue.
    let verify = run(quire(&archive).args(["verify", "--format", "json"]));
    assert_eq!(verify.code, Some(1));
    assert!(
        verify.stdout.contains("\"code\":\"E083\""),
        "{}",
        verify.stdout
    );
    let exports = dir.path().join("exports");
    let done = json_lines(
        &run(quire(&archive)
            .args(["export", "all", "--formats", "epub", "--json", "--dir"])
            .arg(&exports))
        .ok(),
    );
    assert_eq!(done.len(), 1);
}

#[test]
fn an_empty_article_body_is_refused_naming_the_file() {
    let (dir, archive) = sample_archive();
    let before = tree(&archive);
    for (n, body) in ["", " \n\n\t\n"].iter().enumerate() {
        let folder = sample_copy(dir.path(), format!("empty-{n}"));
        fs::write(folder.join(ARTICLE), body).unwrap();
        let stderr = run(quire(&archive).arg("ingest").arg(&folder)).fails();
        let named = format!("{}: ", folder.join(ARTICLE).display());
        assert!(
            stderr.contains(&named)
                && stderr.contains("article `full-text-the-internet-in-china` is empty"),
            "{body:?}: {stderr}"
        );
    }
    assert_unchanged(&archive, &before, "a refused ingest");
}

/// `quire log ID | head`: a reader that stops early (here, one that is gone before quire
/// writes at all) ends quire quietly with 0.
#[test]
fn log_into_a_closed_pipe_exits_0_quietly() {
    let (_dir, archive) = sample_archive();
    for args in [&["log", ISSUE][..], &["log", ISSUE, "--json"]] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let output = quire(&archive)
            .args(args)
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

/// Two roots whose objects for one issue went different ways: a copy between them writes
/// nothing of that object, whether they differ from v1 or only after a shared v1, and names
/// it; the source's other objects are copied.
#[test]
fn copy_refuses_an_object_with_a_different_history_and_copies_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let root_made_at = |name: &str, created: &str| {
        let root = dir.path().join(name);
        run(quire(&root).arg("init")).ok();
        run(quire(&root)
            .args(["ingest", "--created", created])
            .arg(sample_issue()))
        .ok();
        root
    };
    let source = root_made_at("source", "2020-01-01T00:00:00Z");
    // Another v1 of the same issue (made at another time).
    let other = root_made_at("other", "2021-01-01T00:00:00Z");
    // The same v1, then a v2 of its own on each side.
    let diverged = dir.path().join("diverged");
    run(quire(&source)
        .args(["copy", "--from"])
        .arg(&source)
        .arg("--to")
        .arg(&diverged))
    .ok();
    let ours = sample_with_added_text(dir.path(), "ours", "\nOurs.\n");
    run(quire(&source).arg("ingest").arg(ours)).ok();
    let theirs = sample_with_added_text(dir.path(), "theirs", "\nTheirs.\n");
    run(quire(&diverged).arg("ingest").arg(theirs)).ok();
    // Another issue, which only the source holds.
    let second = sample_copy(dir.path(), "second");
    edit_file(&second.join("issue.toml"), |t| {
        t.replace(&format!("id = \"{ISSUE}\""), "id = \"second\"")
    });
    run(quire(&source).arg("ingest").arg(second)).ok();
    let theirs_only = |root: &Path| {
        let mut files = tree(root);
        files.retain(|path, _| !path.contains("urn%3aquire%3asecond"));
        files
    };

    for (destination, head) in [(&other, "v1"), (&diverged, "v2")] {
        let before = tree(destination);
        let refused = run(quire(&source)
            .args(["copy", "--json", "--from"])
            .arg(&source)
            .arg("--to")
            .arg(destination));
        assert_eq!(refused.code, Some(1), "{}", refused.stderr);
        assert!(
            refused.stderr.contains(&format!(
                "not copied: urn:quire:{ISSUE}: the destination holds a different history of \
                 it (its {head} is not the source's)"
            )),
            "{}",
            refused.stderr
        );
        let records = json_lines(&refused.stdout);
        assert_eq!(
            data_strings(&records, "id"),
            ["urn:quire:second", &format!("urn:quire:{ISSUE}")]
        );
        assert!(
            theirs_only(destination) == before,
            "a refused copy changed the object"
        );
        run(quire(destination).arg("verify")).ok();
        run(quire(destination).args(["show", "second"])).ok();
    }
}

#[test]
fn an_image_a_body_shows_must_be_in_the_folder_by_its_path_from_the_issue_folder() {
    let (dir, archive) = sample_archive();
    let folder = sample_copy(dir.path(), "pictured");
    fs::create_dir_all(folder.join("assets")).unwrap();
    fs::copy(
        fixtures().join("web/html/images/harbour.png"),
        folder.join("assets/harbour.png"),
    )
    .unwrap();
    let body = folder.join(SAMPLE_ARTICLE);
    let original = fs::read_to_string(&body).unwrap();
    let with = |image: &str| fs::write(&body, format!("{original}\n![The harbour]({image})\n"));

    // Written as a Markdown editor reads it, from the body's own folder: refused, with the path
    // the body dialect reads.
    with("../assets/harbour.png").unwrap();
    let stderr = run(quire(&archive).arg("ingest").arg(&folder)).fails();
    assert!(stderr.contains(SAMPLE_ARTICLE), "{stderr}");
    assert!(
        stderr.contains("shows image `../assets/harbour.png`")
            && stderr.contains("write `assets/harbour.png`"),
        "{stderr}"
    );
    // An asset that is not there: refused at ingest, as every edition would refuse it.
    with("assets/nothere.png").unwrap();
    let stderr = run(quire(&archive).arg("ingest").arg(&folder)).fails();
    assert!(
        stderr.contains("shows image `assets/nothere.png`, which is not in the folder"),
        "{stderr}"
    );
    assert!(!object_dir(&archive).join("v2").exists());

    // From the issue folder: stored, and the image counts as referenced.
    with("assets/harbour.png").unwrap();
    let report = json_lines(&run(quire(&archive).arg("ingest").arg(&folder).arg("--json")).ok());
    assert_eq!(report[0]["data"]["committed"], true);
    assert!(report[0]["data"].get("warnings").is_none(), "{report:?}");
    // An address the capture recorded is no file of the issue, and stays as it is.
    with("https://example.org/harbour.png").unwrap();
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    assert_ocfl_py_valid(&archive);
}

/// A storage root with the sample issue and a second object (a conformance fixture, at the
/// top of the hierarchy) whose inventory.json is cut in half.
fn archive_with_a_damaged_object(dir: &Path) -> PathBuf {
    let archive = archive_with_sample(dir);
    let damaged = archive.join("damaged-object");
    copy_dir(
        &fixtures().join("ocfl/1.1/good/minimal_one_version"),
        &damaged,
    );
    let inventory = damaged.join("inventory.json");
    let bytes = fs::read(&inventory).unwrap();
    fs::write(&inventory, &bytes[..bytes.len() / 2]).unwrap();
    archive
}

#[test]
fn one_unreadable_object_is_named_while_list_copy_export_all_feeds_and_site_serve_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let archive = archive_with_a_damaged_object(dir.path());
    let named = |stderr: &str| {
        assert!(
            stderr.contains("damaged-object/inventory.json: invalid inventory: EOF"),
            "{stderr}"
        )
    };

    let listed = run(quire(&archive).arg("list"));
    assert_eq!(listed.code, Some(1), "{}", listed.stderr);
    assert!(listed.stdout.contains(ISSUE), "{}", listed.stdout);
    named(&listed.stderr);

    let exports = dir.path().join("exports");
    let exported = run(quire(&archive)
        .args(["export", "all", "--formats", "epub", "--dir"])
        .arg(&exports));
    assert_eq!(exported.code, Some(1), "{}", exported.stderr);
    named(&exported.stderr);
    assert!(fs::read_dir(&exports).unwrap().any(|e| e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(".epub")));

    let feeds = run(quire(&archive).args(["feeds", "--dir"]).arg(&exports));
    assert_eq!(feeds.code, Some(1), "{}", feeds.stderr);
    named(&feeds.stderr);
    assert!(exports.join("opds.xml").is_file());

    let site = dir.path().join("site");
    let built = run(quire(&archive).args(["site", "--dir"]).arg(&site));
    assert_eq!(built.code, Some(1), "{}", built.stderr);
    assert!(
        built
            .stderr
            .contains("quire: warning: left out of the site: "),
        "{}",
        built.stderr
    );
    named(&built.stderr);
    assert!(site.join("issues").join(ISSUE).join("index.html").is_file());

    let everything = dir.path().join("everything");
    let copied = run(quire(&archive)
        .args(["copy", "--from"])
        .arg(&archive)
        .arg("--to")
        .arg(&everything));
    assert_eq!(copied.code, Some(1), "{}", copied.stderr);
    named(&copied.stderr);
    assert!(
        copied.stdout.contains(&format!("urn:quire:{ISSUE}")),
        "{}",
        copied.stdout
    );

    let one = dir.path().join("one");
    run(quire(&archive)
        .args(["copy", "--from"])
        .arg(&archive)
        .arg("--to")
        .arg(&one)
        .arg(ISSUE))
    .ok();
}

#[test]
fn a_read_of_an_id_two_objects_hold_is_refused_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let minimal = "1.1/good/minimal_one_version";
    let root = root_of_fixtures(dir.path(), &[("a/obj", minimal), ("b/obj", minimal)]);
    let stderr = run(quire(&root).args(["cat", "urn:example:object-1", "a.txt"])).fails();
    assert_contains_all(
        &stderr,
        &["urn:example:object-1", "a/obj and b/obj", "E037"],
    );
}

#[test]
fn log_and_diff_escape_control_characters_of_messages_and_logical_paths() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = "1.1/good/control_characters_in_message_and_logical_path";
    let root = root_of_fixtures(dir.path(), &[("object", fixture)]);
    let id = "urn:example:object-1";
    let log = run(quire(&root).args(["log", id])).ok();
    let diff = run(quire(&root).args(["diff", id, "1", "2"])).ok();
    for text in [&log, &diff] {
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(
            !text.lines().any(|l| l.trim_start().starts_with("E092")),
            "a forged line: {text}"
        );
        assert!(
            text.contains("new\\n\\u{1b}[2K  E092 forged finding.txt"),
            "{text}"
        );
    }
    assert!(log.contains("Added\\n\\u{1b}[2K"), "{log}");
    // JSON keeps the text as it is, escaped by JSON itself.
    let records = json_lines(&run(quire(&root).args(["log", id, "--json"])).ok());
    assert_eq!(
        records[0]["data"]["message"],
        "Added\n\u{1b}[2K  E092 forged finding"
    );
}

/// A root declaring a layout quire cannot compute (0011, a draft, or 0003 with an invalid
/// configuration): `copy` into it is refused as `ingest` is, naming the layout it declares,
/// and leaves it as it was; a root declaring the source's very layout takes the source's paths.
#[test]
fn copy_into_a_root_whose_layout_quire_cannot_write_with_is_refused_naming_the_layout() {
    let (dir, source) = sample_archive();
    let declare = |root: &Path, name: &str, config: &str| {
        fs::write(
            root.join("ocfl_layout.json"),
            format!(r#"{{"extension": "{name}", "description": "x"}}"#),
        )
        .unwrap();
        let config_dir = root.join("extensions").join(name);
        fs::create_dir_all(&config_dir).unwrap();
        fs::write(config_dir.join("config.json"), config).unwrap();
    };
    for (name, config, reason) in [
        (
            "0011-direct-clean-path-layout",
            r#"{"extensionName": "0011-direct-clean-path-layout"}"#,
            "storage layout `0011-direct-clean-path-layout` is not supported",
        ),
        (
            "0003-hash-and-id-n-tuple-storage-layout",
            r#"{"digestAlgorithm": "md5", "tupleSize": 2, "numberOfTuples": 17}"#,
            "do not fit a md5 digest",
        ),
    ] {
        let dest = dir.path().join(&name[..4]);
        run(quire(&dest).arg("init")).ok();
        fs::remove_dir_all(dest.join("extensions")).unwrap();
        declare(&dest, name, config);
        let before = tree(&dest);
        let refused = run(quire(&source)
            .args(["copy", "--from"])
            .arg(&source)
            .arg("--to")
            .arg(&dest))
        .fails();
        assert_contains_all(
            &refused,
            &[
                &format!("declares layout `{name}` configured as"),
                "which quire cannot write with",
                reason,
                "nothing was copied",
            ],
        );
        assert_unchanged(&dest, &before, "a refused copy");
        let ingest = run(quire(&dest).arg("ingest").arg(sample_issue())).fails();
        assert_contains_all(
            &ingest,
            &[
                &format!("declares layout `{name}`"),
                "cannot write with",
                reason,
            ],
        );
    }

    // The same unknown layout on both sides: the objects keep the source's paths.
    let odd_source = dir.path().join("odd-source");
    copy_dir(&source, &odd_source);
    fs::remove_dir_all(odd_source.join("extensions")).unwrap();
    declare(&odd_source, "0011-direct-clean-path-layout", "{}");
    let odd_dest = dir.path().join("odd-dest");
    run(quire(&odd_dest).arg("init")).ok();
    fs::remove_dir_all(odd_dest.join("extensions")).unwrap();
    declare(&odd_dest, "0011-direct-clean-path-layout", "{}");
    run(quire(&odd_dest)
        .args(["copy", "--from"])
        .arg(&odd_source)
        .arg("--to")
        .arg(&odd_dest))
    .ok();
    assert_eq!(tree(&odd_dest), tree(&odd_source));
}
