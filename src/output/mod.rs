//! Results on disk and on screen for readers: staged folders that are never half-written
//! (`staged`), one `Manifest` type (`manifest`), pure exporters from results to file contents
//! (`export`), the streaming CSV tables of a run (`TableWriters`), one table of bokmål and
//! English labels (`labels`), charts (`plot`, `charts`), the HTML reports (`report`) and spreadsheet
//! workbooks (`workbook`).
//!
//! The library decides what a file holds; the CLI decides when to write it.

pub mod charts;
pub mod export;
pub mod labels;
pub mod manifest;
pub mod plot;
pub mod profile_page;
pub mod report;
pub mod staged;
pub mod workbook;

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use crate::scenario::config::{CalendarConfig, Config};
use crate::sim::run::Replication;

pub use manifest::{Manifest, ScenarioRecord, Work};
pub use staged::{
    OutputError, StagedDir, clean_leftovers, write_bytes, write_file_atomically, write_json, write_text,
};

/// Streams `yearly.csv` and `municipalities.csv` as replications arrive (a run never holds
/// more than two chunks of replications), each replication's rows serialised by `export`.
pub struct TableWriters {
    yearly: Option<io::BufWriter<fs::File>>,
    municipalities: Option<io::BufWriter<fs::File>>,
    /// Whether `municipalities.csv` still lacks its header (written with the first rows).
    municipalities_header: bool,
    calendar: CalendarConfig,
}

impl TableWriters {
    /// Creates the files the scenario asks for in `dir`; `yearly.csv` gets its header at once.
    pub fn create(dir: &Path, config: &Config) -> Result<TableWriters, OutputError> {
        let open = |name: &str| -> Result<io::BufWriter<fs::File>, OutputError> {
            let path = dir.join(name);
            let file = fs::File::create(&path).map_err(staged::io_at(&path))?;
            Ok(io::BufWriter::new(file))
        };
        let mut yearly = if config.output.yearly { Some(open("yearly.csv")?) } else { None };
        if let Some(w) = &mut yearly {
            let header = export::yearly_header()
                .map_err(|e| OutputError::Io { path: dir.join("yearly.csv"), source: e.into() })?;
            w.write_all(&header).map_err(staged::io_at(&dir.join("yearly.csv")))?;
        }
        let municipalities =
            if config.output.municipalities { Some(open("municipalities.csv")?) } else { None };
        Ok(TableWriters {
            yearly,
            municipalities,
            municipalities_header: true,
            calendar: config.calendar.clone(),
        })
    }

    /// Appends one replication's rows.
    pub fn write(&mut self, rep: &Replication) -> io::Result<()> {
        if let Some(w) = &mut self.yearly {
            w.write_all(&export::yearly_csv(rep, &self.calendar)?)?;
        }
        if let Some(w) = &mut self.municipalities
            && !rep.municipalities.is_empty()
        {
            w.write_all(&export::municipalities_csv(&rep.municipalities, self.municipalities_header)?)?;
            self.municipalities_header = false;
        }
        Ok(())
    }

    pub fn finish(self) -> io::Result<()> {
        for mut w in [self.yearly, self.municipalities].into_iter().flatten() {
            w.flush()?;
        }
        Ok(())
    }
}
