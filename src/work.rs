//! Work folders: where a command assembles what it then writes (a zipped bag unpacked, the
//! issue folder of an import, a bag before it moves into place). A killed command cannot remove
//! its own, and a bag's can be gigabytes, so each holds a lock file its command keeps locked
//! (an OS lock, released when the process ends, however it ends), and the next command that
//! makes one in the same place removes those whose lock it can take. A lock, unlike a process
//! id, tells a live writer from a dead one across containers and machines that share the folder.

use std::fs::{self, File, TryLockError};
use std::io;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// How a work folder's name begins.
pub const PREFIX: &str = ".quire-work-";

/// The file inside a work folder that its command keeps locked.
const LOCK: &str = ".lock";

/// A work folder, removed when dropped; only its owner can read it.
pub struct WorkFolder {
    dir: TempDir,
    _lock: File,
}

impl WorkFolder {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Keeps the folder (without its lock file) for the caller to move into place, open to
    /// others as any folder made here is (private while it was being made).
    pub fn keep(self) -> io::Result<PathBuf> {
        fs::remove_file(self.dir.path().join(LOCK))?;
        let probe = self.dir.path().join(LOCK);
        fs::create_dir(&probe)?;
        let made_here = fs::metadata(&probe)?.permissions();
        fs::remove_dir(&probe)?;
        fs::set_permissions(self.dir.path(), made_here)?;
        Ok(self.dir.keep())
    }
}

/// A new work folder in `parent`, after removing the dead ones there.
pub fn work_folder(parent: &Path) -> io::Result<WorkFolder> {
    sweep(parent);
    let dir = tempfile::Builder::new()
        .prefix(&format!("{PREFIX}{}-", std::process::id()))
        .permissions(private())
        .tempdir_in(parent)?;
    let lock = File::create(dir.path().join(LOCK))?;
    lock.try_lock().map_err(|e| match e {
        TryLockError::Error(e) => e,
        TryLockError::WouldBlock => io::Error::other("a new work folder is locked already"),
    })?;
    Ok(WorkFolder { dir, _lock: lock })
}

/// A new work folder in the system's folder for temporary files.
pub fn temporary_work_folder() -> io::Result<WorkFolder> {
    work_folder(&std::env::temp_dir())
}

#[cfg(unix)]
fn private() -> fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    fs::Permissions::from_mode(0o700)
}

#[cfg(not(unix))]
fn private() -> fs::Permissions {
    fs::metadata(std::env::temp_dir())
        .map(|m| m.permissions())
        .expect("the temporary folder exists")
}

/// Removes the work folders in `parent` whose lock no process holds. A folder without a lock
/// file (one being made) or that cannot be removed is left.
fn sweep(parent: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let ours = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(PREFIX));
        if !ours {
            continue;
        }
        let Ok(lock) = File::open(entry.path().join(LOCK)) else {
            continue;
        };
        if lock.try_lock().is_ok() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_work_folder_no_process_holds_is_removed_and_a_held_one_is_not() {
        let parent = tempfile::tempdir().unwrap();
        let held = work_folder(parent.path()).unwrap();
        let dead = parent.path().join(format!("{PREFIX}4294967295-abc"));
        fs::create_dir_all(dead.join("unpacked")).unwrap();
        File::create(dead.join(LOCK)).unwrap();
        let being_made = parent.path().join(format!("{PREFIX}1-def"));
        let unrelated = parent.path().join("quire-work");
        for folder in [&being_made, &unrelated] {
            fs::create_dir_all(folder).unwrap();
        }
        let made = work_folder(parent.path()).unwrap();
        assert!(made.path().is_dir() && held.path().is_dir());
        assert!(!dead.exists());
        assert!(being_made.exists() && unrelated.exists());
        let kept = made.keep().unwrap();
        assert!(kept.is_dir() && !kept.join(LOCK).exists());
        // As open as a folder made beside it (the process's umask decides).
        let beside = parent.path().join("beside");
        fs::create_dir(&beside).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions();
        assert_eq!(mode(&kept), mode(&beside));
    }
}
