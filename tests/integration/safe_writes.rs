//! Writes that are killed, interrupted or raced: the archive must stay valid with the
//! previous head intact, and a second writer must get a clear error.

use crate::support::*;
use std::fs;
use std::path::Path;
use std::process::{Child, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

const ISSUE: &str = "beijing-review-sample";
const STAGING: &str = "extensions/quire-staging";

fn spawn_ingest(archive: &Path, folder: &Path) -> Child {
    quire(archive)
        .arg("ingest")
        .arg(folder)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits until the writer holds its object lock, or until it exits. True when the lock was
/// seen held while the writer still ran: its work folder, which a writer makes only once it
/// has locked the lock file, beside the lock file (the file alone may not be locked yet).
fn wait_for_lock(archive: &Path, child: &mut Child) -> bool {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        let names: Vec<String> = fs::read_dir(archive.join(STAGING))
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        let locked = names.iter().any(|name| {
            name.strip_suffix(".lock")
                .is_some_and(|key| names.iter().any(|n| n == key))
        });
        if locked {
            return true;
        }
        sleep(Duration::from_micros(200));
    }
    panic!("the writer neither locked nor finished in time");
}

/// The root is valid for ocfl-py; while a killed writer's staging folder is still there, the
/// only thing ocfl-py may mention is that unregistered extension folder.
#[track_caller]
fn assert_valid_after_kill(archive: &Path) {
    if archive.join(STAGING).exists() {
        let Some(text) = ocfl_py_root_report(archive) else {
            return;
        };
        assert!(ocfl_py_says_valid(&text), "{text}");
        for line in text.lines().filter(|l| l.starts_with('[')) {
            assert!(
                line.contains("extensions/quire-staging"),
                "unexpected finding: {line}\n{text}"
            );
        }
    } else {
        assert_ocfl_py_valid(archive);
    }
}

#[test]
fn a_killed_ingest_leaves_the_previous_head_intact() {
    let (dir, archive) = sample_archive();
    let folder = large_issue(dir.path(), "large", 24, 2 << 20, 1);
    let mut caught_mid_write = 0;

    // First at a known point: killed once it has staged a file of the new version.
    kill_at(quire(&archive).arg("ingest").arg(&folder), "folder-staged");
    caught_mid_write += 1;
    assert!(
        archive.join(STAGING).exists(),
        "no staging: not killed mid-write"
    );
    assert_valid_after_kill(&archive);
    assert_eq!(head(&archive), "v1");
    let out = dir.path().join("check-staged");
    run(quire(&archive).args(["checkout", ISSUE]).arg(&out)).ok();
    assert_eq!(tree(&out), tree(&sample_issue()));

    // Then at a spread of moments through the write.
    for delay_ms in [0, 3, 10, 25, 50, 100, 200, 400] {
        if head(&archive) != "v1" {
            break;
        }
        let mut child = spawn_ingest(&archive, &folder);
        sleep(Duration::from_millis(delay_ms));
        let running = child.try_wait().unwrap().is_none();
        child.kill().unwrap();
        child.wait().unwrap();
        if running && archive.join(STAGING).exists() {
            caught_mid_write += 1;
        }
        assert_valid_after_kill(&archive);
        // The head is the old version or, if the write completed, the new one: never a mix.
        let expected = if head(&archive) == "v1" {
            sample_issue()
        } else {
            folder.clone()
        };
        let out = dir.path().join(format!("check-{delay_ms}"));
        run(quire(&archive).args(["checkout", ISSUE]).arg(&out)).ok();
        assert_eq!(tree(&out), tree(&expected), "after a kill at {delay_ms} ms");
    }
    eprintln!("kills that landed during a write: {caught_mid_write}");
    assert!(
        caught_mid_write > 0,
        "no kill landed during a write; the test proved nothing"
    );

    // The next writer cleans up and completes.
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    assert_eq!(head(&archive), "v2");
    assert!(!archive.join(STAGING).exists(), "staging left behind");
    assert_ocfl_py_valid(&archive);
}

#[test]
fn a_second_writer_to_the_same_object_gets_a_clear_error() {
    let (dir, archive) = sample_archive();
    let first = large_issue(dir.path(), "first", 16, 2 << 20, 2);
    let second = large_issue(dir.path(), "second", 1, 1024, 3);

    let mut held = false;
    for _attempt in 0..5 {
        let mut writer = spawn_ingest(&archive, &first);
        if !wait_for_lock(&archive, &mut writer) {
            // It finished before we looked; start over from a fresh version.
            assert!(writer.wait().unwrap().success());
            continue;
        }
        // Freeze the first writer while it holds the lock, and try to write meanwhile.
        let paused = pause(&writer);
        let stderr = run(quire(&archive).arg("ingest").arg(&second)).fails();
        drop(paused);
        assert!(
            stderr.contains("another quire process is writing this object"),
            "{stderr}"
        );
        assert!(
            writer.wait().unwrap().success(),
            "the first writer must complete"
        );
        held = true;
        break;
    }
    assert!(held, "never caught the first writer holding its lock");
    assert_ocfl_py_valid(&archive);
    let out = dir.path().join("head");
    run(quire(&archive).args(["checkout", ISSUE]).arg(&out)).ok();
    assert_eq!(
        tree(&out),
        tree(&first),
        "the head is the first writer's version"
    );
    // Once the lock is free, the second writer goes through.
    run(quire(&archive).arg("ingest").arg(&second)).ok();
    assert_ocfl_py_valid(&archive);
}

#[test]
fn concurrent_writers_of_different_objects_both_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let mut children = Vec::new();
    for n in 0..4 {
        let folder = large_issue(dir.path(), &format!("issue-{n}"), 2, 1 << 20, n);
        edit_file(&folder.join("issue.toml"), |toml| {
            toml.replace(ISSUE, &format!("issue-{n}"))
        });
        children.push(spawn_ingest(&archive, &folder));
    }
    for child in children {
        Run::from(child.wait_with_output().unwrap()).ok();
    }
    let listed = json_lines(&run(quire(&archive).args(["list", "--json"])).ok());
    assert_eq!(listed.len(), 4);
    assert!(!archive.join(STAGING).exists());
    assert_ocfl_py_valid(&archive);
}

#[test]
fn a_commit_interrupted_before_the_root_files_agree_is_completed_by_the_next_writer() {
    // The two states a kill can leave between publishing v2 and replacing the root files:
    // both root files still v1's, or the inventory v2's and the sidecar still v1's.
    for replaced in [
        &["inventory.json", "inventory.json.sha512"][..],
        &["inventory.json.sha512"][..],
    ] {
        let (dir, archive) = sample_archive();
        let changed = large_issue(dir.path(), "changed", 1, 4096, 4);
        run(quire(&archive).arg("ingest").arg(&changed)).ok();
        let object = object_dir(&archive);
        for name in replaced {
            fs::copy(object.join("v1").join(name), object.join(name)).unwrap();
        }
        let run_again = run(quire(&archive).arg("ingest").arg(&changed));
        assert!(
            run_again.stderr.contains("completed an interrupted commit"),
            "{}",
            run_again.stderr
        );
        assert!(run_again.ok().contains("unchanged"));
        assert_eq!(head(&archive), "v2");
        assert_ocfl_py_valid(&archive);
    }
}

#[test]
fn repair_completes_a_torn_commit_without_a_new_version() {
    let (dir, archive) = sample_archive();
    let changed = large_issue(dir.path(), "changed", 1, 4096, 5);
    run(quire(&archive).arg("ingest").arg(&changed)).ok();
    // Killed between replacing the root inventory and its sidecar: the root inventory is v2's
    // own copy, whose sidecar matches, so readers read it; verify reports the root sidecar.
    let object = object_dir(&archive);
    fs::copy(
        object.join("v1/inventory.json.sha512"),
        object.join("inventory.json.sha512"),
    )
    .unwrap();
    let listed = json_lines(&run(quire(&archive).args(["list", "--json"])).ok());
    assert_eq!(listed[0]["data"]["head"], "v2");
    let verdict = run(quire(&archive).arg("verify"));
    assert_eq!(verdict.code, Some(1), "{}", verdict.stdout);
    // A root inventory that is not the head's own copy is still refused.
    let mut bytes = fs::read(object.join("inventory.json")).unwrap();
    let saved = bytes.clone();
    bytes.extend_from_slice(b" ");
    fs::write(object.join("inventory.json"), &bytes).unwrap();
    // `list` names the object it cannot read and exits 1 (it lists the others).
    let listed = run(quire(&archive).arg("list"));
    assert_eq!(listed.code, Some(1), "{}", listed.stderr);
    assert!(
        listed.stderr.contains("does not match its sidecar"),
        "{}",
        listed.stderr
    );
    fs::write(object.join("inventory.json"), saved).unwrap();
    assert_repair_completes_v2(&archive);
    assert_ocfl_py_valid(&archive);
    let again = run(quire(&archive).args(["repair", ISSUE]));
    assert!(
        again.stderr.contains("nothing to repair"),
        "{}",
        again.stderr
    );
}

/// Killed in the instant after its version folder was moved into the object and before the
/// root inventory named it: readers still see the old head, whole, and `repair` completes the
/// commit.
#[test]
fn a_writer_killed_after_publishing_its_version_is_completed_by_repair() {
    let (dir, archive) = sample_archive();
    let changed = large_issue(dir.path(), "changed", 2, 4096, 6);
    kill_at(
        quire(&archive).arg("ingest").arg(&changed),
        "folder-published",
    );
    let object = object_dir(&archive);
    assert!(
        object.join("v2/inventory.json").is_file(),
        "v2 is not in place"
    );
    assert_eq!(head(&archive), "v1");
    let out = dir.path().join("before-repair");
    run(quire(&archive).args(["checkout", ISSUE]).arg(&out)).ok();
    assert_eq!(tree(&out), tree(&sample_issue()));

    assert_repair_completes_v2(&archive);
    let out = dir.path().join("after-repair");
    run(quire(&archive).args(["checkout", ISSUE]).arg(&out)).ok();
    assert_eq!(tree(&out), tree(&changed));
    assert!(!archive.join(STAGING).exists(), "staging left behind");
    assert_ocfl_py_valid(&archive);
}

/// `quire repair` says it completed an interrupted commit, and the head is then v2.
#[track_caller]
fn assert_repair_completes_v2(archive: &Path) {
    let repaired = run(quire(archive).arg("repair"));
    assert!(
        repaired.stderr.contains("completed an interrupted commit"),
        "{}",
        repaired.stderr
    );
    assert_eq!(repaired.code, Some(0));
    assert_eq!(head(archive), "v2");
}
