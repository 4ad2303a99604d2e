//! Work folders: where a command assembles what it then writes (a zipped bag unpacked, the
//! issue folder of an import, a bag before it moves into place). A killed command cannot remove
//! its own, and a bag's can be gigabytes, so each is named for its machine and process
//! (`.quire-work-<host>-<pid>-…`), and the next command that makes one in the same place
//! removes those of this machine whose process is gone.

use std::fs;
use std::io;
use std::path::Path;
use tempfile::TempDir;

/// How a work folder's name begins.
pub const PREFIX: &str = ".quire-work-";

/// A new work folder in `parent` (removed when dropped), after the dead ones there are.
pub fn work_folder(parent: &Path) -> io::Result<TempDir> {
    let host = host();
    sweep(parent, &host);
    tempfile::Builder::new()
        .prefix(&format!("{PREFIX}{host}-{}-", std::process::id()))
        .tempdir_in(parent)
}

/// A new work folder in the system's folder for temporary files.
pub fn temporary_work_folder() -> io::Result<TempDir> {
    work_folder(&std::env::temp_dir())
}

/// Removes the work folders in `parent` that a process of this machine left when it died.
fn sweep(parent: &Path, host: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let ours = format!("{PREFIX}{host}-");
    for entry in entries.flatten() {
        let name = entry.file_name();
        let pid = name
            .to_str()
            .and_then(|n| n.strip_prefix(&ours))
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok());
        if pid.is_some_and(|pid| pid != std::process::id() && !alive(pid)) {
            // Best effort: a folder that cannot be removed is left for the next time.
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether process `pid` of this machine is running: known where `/proc` lists processes;
/// elsewhere every process is taken to be alive, so no other's work folder is ever removed.
fn alive(pid: u32) -> bool {
    let processes = Path::new("/proc");
    !processes.join("self").exists() || processes.join(pid.to_string()).exists()
}

/// This machine's name, as a file name may hold it (`-` kept out: it parts the name's fields).
fn host() -> String {
    let name = fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| fs::read_to_string("/etc/hostname"))
        .unwrap_or_default();
    let name: String = name
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    if name.is_empty() {
        "host".into()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dead_process_s_work_folder_is_removed_and_a_living_one_s_is_not() {
        let parent = tempfile::tempdir().unwrap();
        let host = host();
        // No process has the largest pid; this one is alive.
        let dead = parent.path().join(format!("{PREFIX}{host}-4294967295-abc"));
        let living = parent
            .path()
            .join(format!("{PREFIX}{host}-{}-def", std::process::id()));
        let other_host = parent
            .path()
            .join(format!("{PREFIX}elsewhere-4294967295-ghi"));
        let unrelated = parent.path().join("4294967295");
        for folder in [&dead, &living, &other_host, &unrelated] {
            fs::create_dir_all(folder.join("unpacked")).unwrap();
        }
        let made = work_folder(parent.path()).unwrap();
        assert!(made.path().is_dir());
        assert!(!dead.exists() || !Path::new("/proc/self").exists());
        assert!(living.exists() && other_host.exists() && unrelated.exists());
    }
}
