//! Results folders that are never half-written and never written over someone else's work.
//!
//! - A folder is written in a hidden staging folder beside its target (`.NAME.partial-HOST-PID`) and
//!   moved into place only when every file is complete, so a failed or interrupted run leaves
//!   nothing behind.
//! - An existing target is replaced only with `force`, and only if it is a results folder that
//!   samspill wrote (it holds samspill's `manifest.json`); anything else (a file, a folder of
//!   other work) is refused before any simulation runs.
//! - The replacement is one atomic exchange where the system has one (Linux `renameat2`), so
//!   the target always holds the old or the new results; the old ones are then removed.
//! - What a killed run left (its staging folder, or an old folder that a kill kept from being
//!   put back) is cleaned up by the next run into the same target: a staging folder whose
//!   process is gone is removed, an old results folder is restored if the target is missing.
//!
//! Single files are written beside their target and renamed the same way.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("results folder {} already exists\n  hint: pass --force to replace it, or choose another folder with --out", .0.display())]
    Exists(PathBuf),
    #[error(
        "{} {what}, not a samspill results folder: --force replaces only a folder that samspill wrote (one holding its manifest.json)\n  hint: choose another folder with --out, or move it away yourself",
        path.display()
    )]
    NotResults { path: PathBuf, what: &'static str },
    #[error("cannot write results to {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
}

pub(crate) fn io_at(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io { path: path.to_owned(), source }
}

/// What is at a results target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Nothing: the results may be moved there.
    Free,
    /// A results folder samspill wrote: a real folder (not a link) holding a `manifest.json`
    /// that samspill wrote (a JSON object with its `version` and `command`). `--force` may
    /// replace it.
    Results,
    /// Something else, which is never replaced; the words say what it is.
    Other(&'static str),
}

impl Target {
    pub fn of(path: &Path) -> Target {
        let Ok(meta) = fs::symlink_metadata(path) else { return Target::Free };
        if meta.file_type().is_symlink() {
            return Target::Other("is a symbolic link");
        }
        if !meta.is_dir() {
            return Target::Other("is a file");
        }
        let manifest = crate::scenario::read_input(&path.join("manifest.json")).ok();
        let written_by_samspill = manifest
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
            .is_some_and(|m| m.get("version").is_some_and(|v| v.is_string()) && m["command"].is_array());
        if written_by_samspill {
            Target::Results
        } else {
            Target::Other("is a folder without samspill's manifest.json")
        }
    }
}

/// A results folder being written. Dropped without `commit`, it removes what it wrote.
#[derive(Debug)]
pub struct StagedDir {
    target: PathBuf,
    staging: PathBuf,
    force: bool,
    committed: bool,
    cleaned: Vec<String>,
}

/// The name a staging (`partial`) or old (`old`) folder of `target` has for process `pid`.
/// The name carries this machine's name, so that a run on another machine (or container)
/// writing to the same shared folder is never taken for a dead process of this one.
fn hidden(target: &Path, kind: &str, pid: u32) -> PathBuf {
    let name = target.file_name().map_or_else(|| "results".into(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.{kind}-{}-{pid}", host()))
}

/// This machine's name as it goes into a file name: letters, digits and '-', at most 32.
fn host() -> String {
    #[cfg(unix)]
    let name = nix::unistd::gethostname().map(|h| h.to_string_lossy().into_owned()).unwrap_or_default();
    #[cfg(not(unix))]
    let name = std::env::var("COMPUTERNAME").unwrap_or_default();
    let clean: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(32).collect();
    if clean.is_empty() { "host".into() } else { clean }
}

/// Whether process `pid` may still be running (where that cannot be told, it may).
fn alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        use nix::errno::Errno;
        let Ok(pid) = i32::try_from(pid) else { return true };
        !matches!(nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None), Err(Errno::ESRCH))
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// Cleans up what killed runs on this machine left beside `target`: staging folders (and
/// files) of processes that are gone are removed; an old results folder is put back if the
/// target is missing (a kill between the two renames of a replacement), else removed. Best
/// effort: what cannot be cleaned is reported and left. Returns what it did, one line each.
pub fn clean_leftovers(target: &Path) -> Vec<String> {
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let Ok(entries) = fs::read_dir(&parent) else { return Vec::new() };
    let host = host();
    let mut found: Vec<(String, PathBuf)> = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        for kind in ["partial", "old"] {
            let Some(rest) = file.strip_prefix(&format!(".{name}.{kind}-")) else { continue };
            let Some((from, pid)) = rest.rsplit_once('-') else { continue };
            let Ok(pid) = pid.parse::<u32>() else { continue };
            if from == host && pid != std::process::id() && !alive(pid) {
                found.push((kind.to_string(), entry.path()));
            }
        }
    }
    found.sort();
    let mut done = Vec::new();
    for (kind, path) in found {
        let (did, result) = if kind == "old" && fs::symlink_metadata(target).is_err() {
            (format!("restored {} from {}", target.display(), path.display()), fs::rename(&path, target))
        } else {
            let removed = if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
            (format!("removed {}", path.display()), removed)
        };
        done.push(match result {
            Ok(()) => format!("{did} (left by a run that was killed)"),
            Err(e) => format!("could not clean up {} (left by a run that was killed): {e}", path.display()),
        });
    }
    done
}

/// Swaps two paths in one step where the system can (Linux); `Ok(false)` where it cannot.
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use nix::errno::Errno;
        use nix::fcntl::{AT_FDCWD, RenameFlags, renameat2};
        match renameat2(AT_FDCWD, a, AT_FDCWD, b, RenameFlags::RENAME_EXCHANGE) {
            Ok(()) => Ok(true),
            Err(Errno::EINVAL | Errno::ENOSYS | Errno::EOPNOTSUPP) => Ok(false),
            Err(e) => Err(io::Error::from(e)),
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        let _ = (a, b);
        Ok(false)
    }
}

impl StagedDir {
    /// Creates the staging folder. Fails at once if `target` exists and `force` is off, or if
    /// it exists and is not a results folder samspill wrote, so a bad destination is reported
    /// before any simulation runs. First cleans up what killed runs into `target` left.
    pub fn create(target: &Path, force: bool) -> Result<StagedDir, OutputError> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        if target.file_name().is_none() {
            return Err(OutputError::NotResults {
                path: target.to_owned(),
                what: "names no folder of its own (such as . or ..)",
            });
        }
        let cleaned = clean_leftovers(target);
        Self::check_target(target, force)?;
        fs::create_dir_all(&parent).map_err(io_at(&parent))?;
        let staging = hidden(target, "partial", std::process::id());
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(io_at(&staging))?;
        }
        fs::create_dir(&staging).map_err(io_at(&staging))?;
        Ok(StagedDir { target: target.to_owned(), staging, force, committed: false, cleaned })
    }

    /// Whether results may be written at `target`: it is free, or `force` is on and it is a
    /// results folder samspill wrote.
    fn check_target(target: &Path, force: bool) -> Result<(), OutputError> {
        match Target::of(target) {
            Target::Free => Ok(()),
            Target::Results if force => Ok(()),
            Target::Results => Err(OutputError::Exists(target.to_owned())),
            Target::Other(what) => Err(OutputError::NotResults { path: target.to_owned(), what }),
        }
    }

    /// Where to write files now.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    pub fn target(&self) -> &Path {
        &self.target
    }

    /// What was cleaned up before this run began (leftovers of killed runs), one line each.
    pub fn cleaned(&self) -> &[String] {
        &self.cleaned
    }

    /// Moves the finished folder into place, replacing an existing results folder if `force`
    /// was given (checked again: the target may have changed while the simulation ran).
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        Self::check_target(&self.target, self.force)?;
        if Target::of(&self.target) == Target::Results {
            if exchange(&self.staging, &self.target).map_err(io_at(&self.target))? {
                // The staging name now holds the old results. The new ones are in place, so
                // failing to remove the old is no failure: the next run removes them.
                self.committed = true;
                let _ = fs::remove_dir_all(&self.staging);
                return Ok(self.target.clone());
            }
            // No atomic exchange here: two renames, and a kill between them leaves the old
            // results in `.NAME.old-HOST-PID`, which the next run puts back.
            let old = hidden(&self.target, "old", std::process::id());
            fs::rename(&self.target, &old).map_err(io_at(&self.target))?;
            if let Err(e) = fs::rename(&self.staging, &self.target) {
                // Put the old results back before reporting.
                let _ = fs::rename(&old, &self.target);
                return Err(OutputError::Io { path: self.target.clone(), source: e });
            }
            self.committed = true;
            let _ = fs::remove_dir_all(&old);
        } else {
            fs::rename(&self.staging, &self.target).map_err(io_at(&self.target))?;
            self.committed = true;
        }
        Ok(self.target.clone())
    }
}

impl Drop for StagedDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// Writes `value` as pretty JSON with a final newline.
pub fn write_json(path: &Path, value: &impl Serialize) -> Result<(), OutputError> {
    let text = crate::output::export::json(value)
        .map_err(|e| OutputError::Io { path: path.to_owned(), source: e.into() })?;
    write_text(path, &text)
}

/// Writes a file whole or not at all: to a hidden temporary beside it, then renamed.
pub fn write_file_atomically(path: &Path, text: &str) -> Result<(), OutputError> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.partial-{}", std::process::id()));
    write_text(&tmp, text)?;
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        OutputError::Io { path: path.to_owned(), source: e }
    })
}

/// Writes text to a file in the results folder.
pub fn write_text(path: &Path, text: &str) -> Result<(), OutputError> {
    let file = fs::File::create(path).map_err(io_at(path))?;
    let mut w = BufWriter::new(file);
    w.write_all(text.as_bytes()).and_then(|_| w.flush()).map_err(io_at(path))
}

/// Writes bytes to a file in the results folder.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    fs::write(path, bytes).map_err(io_at(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("samspill-output-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn a_dropped_staging_folder_leaves_nothing() {
        let root = tmp("drop");
        let target = root.join("out");
        {
            let s = StagedDir::create(&target, false).unwrap();
            fs::write(s.path().join("x"), "1").unwrap();
        }
        assert!(!target.exists());
        assert_eq!(fs::read_dir(&root).unwrap().count(), 0);
    }

    /// A folder as samspill writes it: a manifest with the version and the command line.
    fn results(target: &Path, file: &str) {
        fs::create_dir_all(target).unwrap();
        fs::write(target.join("manifest.json"), r#"{"version": "0.1.0", "command": ["samspill"]}"#).unwrap();
        fs::write(target.join(file), "1").unwrap();
    }

    fn listing(root: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn an_existing_results_folder_is_kept_without_force_and_replaced_with_it() {
        let root = tmp("force");
        let target = root.join("out");
        results(&target, "old");
        assert!(matches!(StagedDir::create(&target, false), Err(OutputError::Exists(_))));
        let s = StagedDir::create(&target, true).unwrap();
        fs::write(s.path().join("new"), "2").unwrap();
        s.commit().unwrap();
        assert!(target.join("new").exists());
        assert!(!target.join("old").exists());
        assert_eq!(listing(&root), ["out"], "no staging or old folder left");
    }

    #[test]
    fn force_never_replaces_a_file_or_a_folder_samspill_did_not_write() {
        let root = tmp("foreign");
        let work = root.join("mywork");
        fs::create_dir_all(work.join("sub")).unwrap();
        fs::write(work.join("sub/thesis.tex"), "precious").unwrap();
        // A manifest.json of someone else's is not samspill's.
        fs::write(work.join("manifest.json"), r#"{"name": "mine"}"#).unwrap();
        let file = root.join("afile");
        fs::write(&file, "data").unwrap();
        for target in [&work, &file] {
            for force in [false, true] {
                let e = StagedDir::create(target, force).unwrap_err();
                assert!(matches!(e, OutputError::NotResults { .. }), "{e}");
                assert!(e.to_string().contains(&target.display().to_string()), "names the target: {e}");
            }
        }
        assert_eq!(fs::read_to_string(work.join("sub/thesis.tex")).unwrap(), "precious");
        assert_eq!(fs::read_to_string(&file).unwrap(), "data");
        assert_eq!(listing(&root), ["afile", "mywork"], "nothing written beside them");
    }

    #[test]
    fn a_target_that_names_no_folder_is_refused() {
        for target in [".", "..", "a/.."] {
            assert!(matches!(
                StagedDir::create(Path::new(target), true),
                Err(OutputError::NotResults { .. })
            ));
        }
    }

    #[test]
    fn a_target_that_changed_while_the_run_went_on_is_not_replaced() {
        let root = tmp("changed");
        let target = root.join("out");
        let s = StagedDir::create(&target, true).unwrap();
        fs::create_dir(&target).unwrap();
        fs::write(target.join("notes.txt"), "mine").unwrap();
        assert!(matches!(s.commit(), Err(OutputError::NotResults { .. })));
        assert_eq!(fs::read_to_string(target.join("notes.txt")).unwrap(), "mine");
        assert_eq!(listing(&root), ["out"]);
    }

    /// The id of a process that has ended.
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    }

    #[test]
    fn what_killed_runs_left_is_cleaned_up_by_the_next_run_into_the_target() {
        let root = tmp("leftovers");
        let target = root.join("res");
        let dead = dead_pid();
        // A killed run's staging folder, and one of a run that is still going (ours).
        fs::create_dir(hidden(&target, "partial", dead)).unwrap();
        let live = hidden(&target, "partial", std::process::id());
        let other_target = root.join(".other.partial-1");
        fs::create_dir(&other_target).unwrap();
        // A run on another machine writing to the same shared folder is not ours to judge.
        let elsewhere = format!(".res.partial-{}x-{dead}", host());
        fs::create_dir(root.join(&elsewhere)).unwrap();
        // A replacement killed between its two renames: the old results wait in `.res.old-HOST-PID`.
        results(&hidden(&target, "old", dead), "old");
        let s = StagedDir::create(&target, true).unwrap();
        assert_eq!(s.cleaned().len(), 2, "{:?}", s.cleaned());
        assert!(target.join("old").exists(), "the old results are back at the target");
        assert_eq!(s.path(), live);
        drop(s);
        assert_eq!(
            listing(&root),
            [".other.partial-1", elsewhere.as_str(), "res"],
            "another target's and machine's are left"
        );
    }
}
