//! The register of the real municipalities (`data/municipalities-2025.csv`, compiled into the
//! binary): number, name, county, population and area. Read once, on first use.
//!
//! A scenario runs all of them, or a subset for quick runs and tests: `members(n)` picks `n`
//! municipalities spread evenly over the population ranking, so a subset keeps the mix of
//! small and large places.

use std::sync::OnceLock;

/// One municipality of the register.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Kommunenummer (four digits; the first two are the county's).
    pub number: u16,
    pub name: String,
    pub county: String,
    /// Inhabitants.
    pub population: f64,
    pub area_km2: f64,
}

impl Entry {
    /// The municipality number as the register writes it: four digits.
    pub fn number_text(&self) -> String {
        format!("{:04}", self.number)
    }
}

/// The register's text, as shipped.
pub const SOURCE: &str = include_str!("../../data/municipalities-2025.csv");

/// The register, in its file's order (by county, then number).
pub fn all() -> &'static [Entry] {
    static REGISTER: OnceLock<Vec<Entry>> = OnceLock::new();
    REGISTER.get_or_init(|| parse(SOURCE).expect("the bundled register is well formed (tested)"))
}

/// The register's rows. The file is the project's own, compiled in: plain comma-separated
/// fields, never quoted (a quote is refused), so a split is all the reading it needs (a CSV
/// reader costs several times as much, and every command reads the register).
fn parse(text: &str) -> Result<Vec<Entry>, String> {
    let mut out = Vec::with_capacity(400);
    let columns = text.lines().next().map_or(0, |h| h.split(',').count());
    for (i, line) in text.lines().enumerate().skip(1).filter(|(_, l)| !l.trim().is_empty()) {
        let row = i + 1;
        if line.contains('"') {
            return Err(format!("row {row}: quoted fields are not read; the register has none"));
        }
        if line.split(',').count() != columns {
            return Err(format!("row {row}: not the header's {columns} columns"));
        }
        let mut fields = line.trim_end_matches('\r').split(',');
        let mut field = |k: usize| fields.next().ok_or_else(|| format!("row {row}: missing column {k}"));
        let number = field(0)?.parse::<u16>().map_err(|e| format!("row {row}: number: {e}"))?;
        let name = field(1)?.to_string();
        let county = field(2)?.to_string();
        let population = field(3)?.parse::<f64>().map_err(|e| format!("row {row}: population: {e}"))?;
        let area_km2 = field(4)?.parse::<f64>().map_err(|e| format!("row {row}: area: {e}"))?;
        out.push(Entry { number, name, county, population, area_km2 });
    }
    Ok(out)
}

/// The register entries a world of `n` municipalities holds, in register order: all of them
/// when `n` is the register's size, otherwise `n` spread evenly over the ranking by population.
pub fn members(n: usize) -> Vec<&'static Entry> {
    let all = all();
    if n >= all.len() {
        return all.iter().collect();
    }
    let mut ranked: Vec<usize> = (0..all.len()).collect();
    ranked.sort_by(|&a, &b| all[a].population.total_cmp(&all[b].population).then(a.cmp(&b)));
    let mut chosen: Vec<usize> =
        (0..n).map(|i| ranked[((i as f64 + 0.5) * all.len() as f64 / n as f64) as usize]).collect();
    chosen.sort_unstable();
    chosen.into_iter().map(|i| &all[i]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_register_holds_the_357_municipalities_of_2025() {
        let r = all();
        assert_eq!(r.len(), 357);
        let oslo = r.iter().find(|e| e.number == 301).unwrap();
        assert_eq!((oslo.name.as_str(), oslo.number_text().as_str()), ("Oslo", "0301"));
        let mut numbers: Vec<u16> = r.iter().map(|e| e.number).collect();
        numbers.sort_unstable();
        numbers.dedup();
        assert_eq!(numbers.len(), 357, "numbers are unique");
        assert!(r.iter().all(|e| e.population > 100.0 && e.area_km2 > 0.0));
    }

    #[test]
    fn a_subset_spreads_over_the_sizes() {
        let m = members(40);
        assert_eq!(m.len(), 40);
        let small = m.iter().filter(|e| e.population < 5_000.0).count();
        // About half of the municipalities have fewer than 5 000 inhabitants.
        assert!((15..=25).contains(&small), "{small} small of 40");
        assert_eq!(members(357).len(), 357);
        assert_eq!(members(1000).len(), 357);
    }
}
