//! Healing an archive from a replica (`quire repair --from`): damage one copy (a flipped byte,
//! a deleted content file, a truncated inventory, a missing sidecar), heal it from a second,
//! and check with quire and ocfl-py that it is whole again, byte for byte; a replica that is
//! damaged too, or tells a different history, is refused; a killed repair leaves the object no
//! worse; `copy` names a damaged destination instead of calling it up to date.

use crate::support::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

const ISSUE: &str = "beijing-review-sample";

/// An archive with two versions of the sample issue (v2 changes its article and adds a
/// capture), and the two source folders.
pub fn two_versions(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let archive = archive_with_sample(dir);
    let second = second_version(dir);
    run(quire(&archive).arg("ingest").arg(&second)).ok();
    (archive, sample_issue(), second)
}

/// The sample issue with its article changed and a capture added.
fn second_version(dir: &Path) -> PathBuf {
    let second = large_issue(dir, "second", 1, 4096, 7);
    add_to_article(&second, "\nA paragraph added in the second version.\n");
    second
}

/// Like [`two_versions`], and a copy of the archive as it was at v1 (the same v1, created at
/// the same instant), at `dir/at-v1`.
fn two_versions_and_a_copy_at_v1(dir: &Path) -> (PathBuf, PathBuf) {
    let archive = archive_with_sample(dir);
    let at_v1 = dir.join("at-v1");
    copy_dir(&archive, &at_v1);
    run(quire(&archive).arg("ingest").arg(second_version(dir))).ok();
    (archive, at_v1)
}

/// The four kinds of damage, each to a different file of the object at `object`: a flipped
/// byte (v1's issue.toml), a deleted content file (v2's article), a truncated inventory (the
/// root's) and a missing sidecar (v1's). Returns the damaged paths, relative to the object.
pub fn damage(object: &Path) -> Vec<&'static str> {
    let flipped = "v1/content/issue.toml";
    flip_byte(&object.join(flipped), 10);
    let deleted = "v2/content/articles/full-text-the-internet-in-china.md";
    fs::remove_file(object.join(deleted)).unwrap();
    let truncated = "inventory.json";
    let inventory = fs::read(object.join(truncated)).unwrap();
    fs::write(object.join(truncated), &inventory[..inventory.len() / 2]).unwrap();
    let sidecar = "v1/inventory.json.sha512";
    fs::remove_file(object.join(sidecar)).unwrap();
    vec![flipped, deleted, truncated, sidecar]
}

/// Every version of the issue checks out byte for byte as `sources` (v1, v2, ...); `quire`
/// makes a command on the archive.
#[track_caller]
pub fn assert_checkouts(quire: impl Fn() -> Command, scratch: &Path, sources: &[&Path]) {
    for (n, source) in sources.iter().enumerate() {
        let out = scratch.join(format!("checkout-v{}", n + 1));
        let _ = fs::remove_dir_all(&out);
        run(quire()
            .args(["checkout", &format!("{ISSUE}@v{}", n + 1)])
            .arg(&out))
        .ok();
        assert_eq!(tree(&out), tree(source), "v{} differs", n + 1);
    }
}

/// Runs `command`, killing it once `now()` says so (it is asked every millisecond); returns
/// whether it was killed before it finished.
pub fn kill_when(mut command: Command, now: impl Fn() -> bool) -> bool {
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    while child.try_wait().unwrap().is_none() {
        if now() {
            child.kill().unwrap();
            child.wait().unwrap();
            return true;
        }
        sleep(Duration::from_millis(1));
    }
    false
}

fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).unwrap().ino()
}

/// The inode of every file under `dir`, to tell which files were rewritten.
fn inodes(dir: &Path) -> BTreeMap<String, u64> {
    tree(dir)
        .into_keys()
        .map(|path| {
            let inode = inode(&dir.join(&path));
            (path, inode)
        })
        .collect()
}

/// The error findings of `quire verify --format json` on the archive `quire` is set up for,
/// as (code, path).
pub fn errors(mut quire: Command) -> BTreeSet<(String, String)> {
    let result = run(quire.args(["verify", "--format", "json"]));
    json_lines(&result.stdout)
        .into_iter()
        .filter(|r| r["type"] == "finding" && r["data"]["severity"] == "error")
        .map(|r| {
            let field = |name: &str| r["data"][name].as_str().unwrap().to_string();
            (field("code"), field("path"))
        })
        .collect()
}

/// A two-version archive ([`two_versions`]) in `dir` and a sound replica of it to heal from (a
/// copy, at `dir/replica`); returns the archive, the replica and the sources of v1 and v2.
fn replicated(dir: &Path) -> (PathBuf, PathBuf, [PathBuf; 2]) {
    let (archive, v1, v2) = two_versions(dir);
    let replica = dir.join("replica");
    copy_dir(&archive, &replica);
    (archive, replica, [v1, v2])
}

/// `quire repair --from REPLICA` on the folder archive `archive`.
fn repair_from(archive: &Path, replica: &Path) -> Run {
    run(quire(archive).arg("repair").arg("--from").arg(replica))
}

#[test]
fn a_damaged_archive_is_healed_from_a_replica_folder_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, replica, [v1, v2]) = replicated(dir.path());
    let object = object_dir(&archive);
    let before = inodes(&object);
    let damaged = damage(&object);
    assert_eq!(run(quire(&archive).arg("verify")).code, Some(1));

    let healed = repair_from(&archive, &replica);
    assert_eq!(healed.code, Some(0), "{}{}", healed.stdout, healed.stderr);
    for path in &damaged {
        assert!(
            healed.stdout.contains(&format!(
                "healed {}",
                relative(&archive, &object.join(path))
            )),
            "{path} not reported healed:\n{}",
            healed.stdout
        );
    }
    assert!(healed
        .stdout
        .starts_with("urn:quire:beijing-review-sample: healed 4 files"));

    // Whole again: quire, ocfl-py, the checkouts, and every byte of the object.
    run(quire(&archive).arg("verify")).ok();
    assert_ocfl_py_valid(&archive);
    assert_checkouts(|| quire(&archive), dir.path(), &[&v1, &v2]);
    assert_eq!(tree(&archive), tree(&replica));
    // Sound files were never touched: only the damaged ones are new files.
    let after = inodes(&object);
    for (path, inode) in &before {
        let rewritten = after[path] != *inode;
        assert_eq!(rewritten, damaged.contains(&path.as_str()), "{path}");
    }

    let again = repair_from(&archive, &replica);
    assert_eq!(again.code, Some(0));
    assert!(
        again.stdout.contains("sound, nothing to heal"),
        "{}",
        again.stdout
    );
}

/// `path` relative to the storage root, `/`-separated.
fn relative(archive: &Path, path: &Path) -> String {
    path.strip_prefix(archive)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

#[test]
fn repair_reports_what_it_healed_as_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, replica, _) = replicated(dir.path());
    damage(&object_dir(&archive));
    let out = run(quire(&archive)
        .args(["repair", "--json", "--from"])
        .arg(&replica))
    .ok();
    let records = json_lines(&out);
    let healed: BTreeMap<String, String> = records
        .iter()
        .filter(|r| r["type"] == "healed")
        .map(|r| {
            let data = &r["data"];
            assert_eq!(data["object"], "urn:quire:beijing-review-sample");
            assert!(data["bytes"].as_u64().is_some() && data["why"].is_string());
            let path = data["path"]
                .as_str()
                .unwrap()
                .rsplit_once("sample/")
                .unwrap()
                .1;
            (path.to_string(), data["role"].as_str().unwrap().to_string())
        })
        .collect();
    let expected: BTreeMap<String, String> = [
        ("inventory.json", "inventory"),
        ("v1/inventory.json.sha512", "sidecar"),
        ("v1/content/issue.toml", "content"),
        (
            "v2/content/articles/full-text-the-internet-in-china.md",
            "content",
        ),
    ]
    .into_iter()
    .map(|(p, r)| (p.to_string(), r.to_string()))
    .collect();
    assert_eq!(healed, expected);
    let object_record = records.iter().find(|r| r["type"] == "object").unwrap();
    assert_eq!(object_record["data"]["outcome"], "healed");
    assert_eq!(object_record["data"]["healed"], 4);
    let summary = records.last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["data"]["healed"], 4);
    assert_eq!(summary["data"]["not_healed"], 0);
}

#[test]
fn a_replica_whose_copy_is_damaged_too_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, replica, _) = replicated(dir.path());
    let path = "v1/content/issue.toml";
    for (root, position) in [(&archive, 10), (&replica, 20)] {
        flip_byte(&object_dir(root).join(path), position);
    }
    let before = tree(&archive);
    let result = repair_from(&archive, &replica);
    assert_eq!(result.code, Some(1), "{}{}", result.stdout, result.stderr);
    let line = line_with(&result.stdout, &["NOT healed"]);
    assert!(line.contains(path), "{line}");
    assert!(
        line.contains("the replica's copy") && line.contains("is damaged too"),
        "{line}"
    );
    assert!(
        line.contains(&replica.join("fcd").display().to_string()),
        "{line}"
    );
    assert_unchanged(&archive, &before, "a refused repair");
}

#[test]
fn a_replica_with_a_different_history_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, replica) = two_versions_and_a_copy_at_v1(dir.path());
    let other = large_issue(dir.path(), "other-v2", 1, 1000, 99);
    run(quire(&replica).arg("ingest").arg(&other)).ok();
    damage(&object_dir(&archive));
    let before = tree(&archive);
    let result = repair_from(&archive, &replica);
    assert_eq!(result.code, Some(2), "{}{}", result.stdout, result.stderr);
    assert!(
        result
            .stdout
            .contains("holds a different history of `urn:quire:beijing-review-sample` (v2 differs"),
        "{}",
        result.stdout
    );
    assert_unchanged(&archive, &before, "a refused repair");
}

#[test]
fn a_replica_whose_head_is_ahead_heals_the_versions_both_hold() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, replica, [v1, v2]) = replicated(dir.path());
    let third = large_issue(dir.path(), "third", 2, 1000, 8);
    run(quire(&replica).arg("ingest").arg(&third)).ok();
    let original = tree(&archive);
    damage(&object_dir(&archive));
    repair_from(&archive, &replica).ok();
    assert_eq!(tree(&archive), original);
    assert_eq!(head(&archive), "v2");
    assert_checkouts(|| quire(&archive), dir.path(), &[&v1, &v2]);
}

#[test]
fn a_replica_that_is_behind_heals_what_it_holds_and_names_what_it_cannot() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, replica) = two_versions_and_a_copy_at_v1(dir.path());
    let object = object_dir(&archive);
    damage(&object);
    let result = repair_from(&archive, &replica);
    assert_eq!(result.code, Some(1), "{}", result.stdout);
    // v1's files and the root inventory (from this object's own v2) are healed; v2's article
    // is in no copy.
    for healed in [
        "v1/content/issue.toml",
        "v1/inventory.json.sha512",
        "/inventory.json",
    ] {
        line_with(&result.stdout, &["  healed", healed]);
    }
    let missing = "v2/content/articles/full-text-the-internet-in-china.md";
    line_with(&result.stdout, &["NOT healed", missing, "no copy"]);
    // What is left is that one file (and the folder it leaves empty).
    let missing = relative(&archive, &object.join(missing));
    let folder = missing.rsplit_once('/').unwrap().0.to_string();
    assert_eq!(
        errors(quire(&archive)),
        [("E024".to_string(), folder), ("E092".to_string(), missing)].into(),
    );
}

#[test]
fn stray_files_of_another_tool_are_reported_and_quires_own_staging_is_removed() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, replica, _) = replicated(dir.path());
    let object = object_dir(&archive);
    fs::write(object.join("notes.txt"), "another tool's file\n").unwrap();
    // What a killed writer leaves: a work folder with no lock beside it.
    let staging = archive.join("extensions/quire-staging/0123456789abcdef");
    fs::create_dir_all(&staging).unwrap();
    fs::write(staging.join("half-written"), "x").unwrap();
    let result = repair_from(&archive, &replica);
    assert_eq!(result.code, Some(1), "{}", result.stdout);
    line_with(&result.stdout, &["still E001", "notes.txt"]);
    assert!(
        object.join("notes.txt").exists(),
        "another tool's file was deleted"
    );
    assert!(
        !archive.join("extensions/quire-staging").exists(),
        "quire's staging was left"
    );
}

#[test]
fn copy_to_a_destination_holding_the_same_head_damaged_names_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, mirror, _) = replicated(dir.path());
    let copy = |options: &[&str]| {
        run(quire(&archive)
            .arg("copy")
            .args(options)
            .arg("--from")
            .arg(&archive)
            .arg("--to")
            .arg(&mirror))
    };
    let object = object_dir(&mirror);
    let flipped = "v1/content/issue.toml";
    flip_byte(&object.join(flipped), 3);
    let result = copy(&[]);
    assert_eq!(result.code, Some(1), "{}{}", result.stdout, result.stderr);
    assert!(!result.stdout.contains("up to date"), "{}", result.stdout);
    assert!(result.stdout.contains(flipped), "{}", result.stdout);
    assert!(result.stderr.contains("repair --from"), "{}", result.stderr);

    // A torn root inventory there too: named, not an error about the inventory.
    fs::write(object.join("inventory.json"), "{").unwrap();
    let result = copy(&["--json"]);
    assert_eq!(result.code, Some(1), "{}{}", result.stdout, result.stderr);
    let record = &json_lines(&result.stdout)[0]["data"];
    let damaged: Vec<&str> = record["damaged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(
        damaged.iter().any(|p| p.ends_with("sample/inventory.json")),
        "{damaged:?}"
    );
    assert!(damaged.iter().any(|p| p.ends_with(flipped)), "{damaged:?}");

    // Healed, the same copy is up to date, and says so rather than that it copied.
    repair_from(&mirror, &archive).ok();
    let again = copy(&[]);
    assert!(
        again.stderr.contains("already holds 1 object up to date")
            && !again.stderr.contains("copied"),
        "{}",
        again.stderr
    );
    let result = again.ok();
    assert!(result.contains("up to date"), "{result}");
}

#[test]
fn a_repair_killed_midway_leaves_the_object_no_worse() {
    let dir = tempfile::tempdir().unwrap();
    let large = large_issue(dir.path(), "large", 16, 2 << 20, 11);
    let archive = archive_of(dir.path(), &large);
    let replica = dir.path().join("replica");
    copy_dir(&archive, &replica);
    let object = object_dir(&archive);
    let scans: Vec<PathBuf> = fs::read_dir(object.join("v1/content/sources"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .collect();
    for scan in &scans {
        flip_byte(scan, 1000);
    }
    let damaged_copy = dir.path().join("damaged");
    copy_dir(&archive, &damaged_copy);
    let damaged = errors(quire(&archive));
    assert_eq!(damaged.len(), scans.len());

    let restore = || {
        fs::remove_dir_all(&archive).unwrap();
        copy_dir(&damaged_copy, &archive);
    };
    let repair = || {
        let mut command = quire(&archive);
        command.arg("repair").arg("--from").arg(&replica);
        command
    };
    // Killed with the first replacement read aside, right after the first swap, and at a
    // spread of moments.
    let points = ["folder-swap-staged", "folder-swapped"];
    let delays_ms = [0, 20, 60, 150, 300];
    let quire = || quire(&archive);
    assert_kills_leave_no_worse(repair, quire, restore, &damaged, points, &delays_ms);

    // The next repair finishes the work, its staging gone.
    repair_from(&archive, &replica).ok();
    assert_eq!(tree(&archive), tree(&replica));
    assert_ocfl_py_valid(&archive);
}

/// Kills the repair `repair()` makes at its two pause points (`staged`: the first replacement
/// read aside; `swapped`: right after the first swap) and then `delays_ms` after it starts,
/// each time on the damage `restore()` puts back first. The errors `quire verify` finds on the
/// archive `quire()` commands are checked against `damaged`, those of the damage: at the first
/// point nothing changed, at the second that one file is healed and the others are as they
/// were, and at any moment no error is new.
#[track_caller]
pub fn assert_kills_leave_no_worse(
    repair: impl Fn() -> Command,
    quire: impl Fn() -> Command,
    restore: impl Fn(),
    damaged: &BTreeSet<(String, String)>,
    [staged, swapped]: [&str; 2],
    delays_ms: &[u64],
) {
    restore();
    kill_at(&mut repair(), staged);
    assert_eq!(errors(quire()), *damaged);
    restore();
    kill_at(&mut repair(), swapped);
    let left = errors(quire());
    assert!(
        left.is_subset(damaged) && left.len() == damaged.len() - 1,
        "{left:?}"
    );
    for &delay_ms in delays_ms {
        restore();
        let started = Instant::now();
        kill_when(repair(), || {
            started.elapsed() >= Duration::from_millis(delay_ms)
        });
        let left = errors(quire());
        assert!(
            left.is_subset(damaged),
            "worse after a kill at {delay_ms} ms: {left:?}"
        );
    }
}

#[test]
fn repair_without_a_replica_names_the_damage_it_cannot_heal_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, _, _) = two_versions(dir.path());
    let object = object_dir(&archive);
    let damaged = damage(&object);
    let before = fs::read(object.join("inventory.json")).unwrap();
    let repair = run(quire(&archive).arg("repair"));
    assert_eq!(repair.code, Some(1), "{}", repair.stderr);
    assert!(
        !repair.stderr.contains("nothing to repair"),
        "{}",
        repair.stderr
    );
    assert!(repair.stderr.contains("repair --from"), "{}", repair.stderr);
    // Named from the object's root; a version without its sidecar names its inventory.
    for file in &damaged {
        let named = format!(" {}", file.trim_end_matches(".sha512"));
        assert!(repair.stderr.contains(&named), "{file}: {}", repair.stderr);
    }
    // Nothing was touched: only a replica holds the good bytes.
    assert_eq!(fs::read(object.join("inventory.json")).unwrap(), before);
    let json = run(quire(&archive).args(["repair", "--json"]));
    assert_eq!(json.code, Some(1));
    let records = json_lines(&json.stdout);
    let files = &records[0]["data"]["files"];
    assert_eq!(records[0]["type"], "damaged", "{records:?}");
    assert_eq!(files.as_array().unwrap().len(), damaged.len(), "{files}");
    // The object by its id, as every other record names it.
    assert_eq!(
        records[0]["data"]["object"],
        "urn:quire:beijing-review-sample"
    );
}

#[test]
fn a_lost_root_sidecar_is_restored_from_the_head_versions_copy_and_said_so() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, _, _) = two_versions(dir.path());
    let object = object_dir(&archive);
    fs::remove_file(object.join("inventory.json.sha512")).unwrap();
    // `list` names the object it cannot read and exits 1 (it lists the others).
    let listed = run(quire(&archive).arg("list"));
    assert_eq!(listed.code, Some(1), "{}", listed.stderr);
    let listed = listed.stderr;
    assert!(
        listed.contains("inventory.json: invalid inventory: has no sidecar")
            && listed.contains("quire repair"),
        "{listed}"
    );
    let repair = run(quire(&archive).arg("repair"));
    assert!(
        repair.stderr.contains("restored inventory.json.sha512")
            && repair.stderr.contains("the sidecar was missing")
            && !repair.stderr.contains("interrupted"),
        "{}",
        repair.stderr
    );
    repair.ok();
    assert_eq!(
        fs::read(object.join("inventory.json.sha512")).unwrap(),
        fs::read(object.join("v2/inventory.json.sha512")).unwrap()
    );
    assert_ocfl_py_valid(&archive);
}

/// A work folder a killed writer left is removed by repair, which says so rather than
/// "nothing to repair".
#[test]
fn repair_says_which_leftover_work_folder_it_removed() {
    let (dir, archive) = sample_archive();
    let _ = &dir;
    let leftover = archive.join("extensions/quire-staging/old");
    fs::create_dir_all(&leftover).unwrap();
    fs::write(leftover.join("f"), "x").unwrap();
    let repair = run(quire(&archive).arg("repair"));
    assert_eq!(repair.code, Some(0), "{}", repair.stderr);
    assert!(
        repair
            .stderr
            .contains("removed extensions/quire-staging/old: a work folder a killed writer left"),
        "{}",
        repair.stderr
    );
    assert!(
        !repair.stderr.contains("nothing to repair"),
        "{}",
        repair.stderr
    );
    assert!(!leftover.exists());
    let again = run(quire(&archive).arg("repair"));
    assert!(
        again.stderr.contains("nothing to repair"),
        "{}",
        again.stderr
    );
}
