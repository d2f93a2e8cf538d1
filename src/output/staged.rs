//! Results folders that are never half-written: a folder is written in a hidden staging folder
//! beside its target and renamed into place only when every file is complete, so a failed or
//! interrupted run leaves nothing behind and an existing folder is replaced only when asked
//! (`force`). Single files are written beside their target and renamed the same way.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("results folder {} already exists\n  hint: pass --force to replace it, or choose another folder with --out", .0.display())]
    Exists(PathBuf),
    #[error("cannot write results to {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
}

pub(crate) fn io_at(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io { path: path.to_owned(), source }
}

/// A results folder being written. Dropped without `commit`, it removes what it wrote.
#[derive(Debug)]
pub struct StagedDir {
    target: PathBuf,
    staging: PathBuf,
    force: bool,
    committed: bool,
}

impl StagedDir {
    /// Creates the staging folder. Fails at once if `target` exists and `force` is off, so a
    /// bad destination is reported before any simulation runs.
    pub fn create(target: &Path, force: bool) -> Result<StagedDir, OutputError> {
        if target.exists() && !force {
            return Err(OutputError::Exists(target.to_owned()));
        }
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(io_at(&parent))?;
        let name = target.file_name().map_or_else(|| "results".into(), |n| n.to_string_lossy().into_owned());
        let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(io_at(&staging))?;
        }
        fs::create_dir(&staging).map_err(io_at(&staging))?;
        Ok(StagedDir { target: target.to_owned(), staging, force, committed: false })
    }

    /// Where to write files now.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Moves the finished folder into place, replacing an existing one if `force` was given.
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        if self.target.exists() {
            if !self.force {
                return Err(OutputError::Exists(self.target.clone()));
            }
            let old = self.staging.with_file_name(format!(
                ".{}.old-{}",
                self.target.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                std::process::id()
            ));
            fs::rename(&self.target, &old).map_err(io_at(&self.target))?;
            fs::rename(&self.staging, &self.target).map_err(io_at(&self.target))?;
            fs::remove_dir_all(&old).map_err(io_at(&old))?;
        } else {
            fs::rename(&self.staging, &self.target).map_err(io_at(&self.target))?;
        }
        self.committed = true;
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

    #[test]
    fn an_existing_folder_is_kept_without_force_and_replaced_with_it() {
        let root = tmp("force");
        let target = root.join("out");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("old"), "1").unwrap();
        assert!(matches!(StagedDir::create(&target, false), Err(OutputError::Exists(_))));
        let s = StagedDir::create(&target, true).unwrap();
        fs::write(s.path().join("new"), "2").unwrap();
        s.commit().unwrap();
        assert!(target.join("new").exists());
        assert!(!target.join("old").exists());
        assert_eq!(fs::read_dir(&root).unwrap().count(), 1, "no staging or old folder left");
    }
}
