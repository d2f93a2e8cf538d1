//! Fuzz smoke test of the parsers a user's files reach: scenario files (with `extends`) and
//! sweep files. Mutated copies of the shipped files (fixed seed, so every run tries the same
//! inputs) must each be accepted or refused with a message — never a panic, never a message
//! that echoes unbounded input. Bounded: a fixed number of inputs, and a time limit that stops
//! early on a slow machine (saying how many were tried).
//!
//! For longer, coverage-guided runs see `fuzz/` (cargo fuzz) and the README.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use samspill::analysis::sweep::Sweep;
use samspill::scenario::{self, Overrides};

/// Inputs tried per parser (times `SAMSPILL_FUZZ_SCALE`, default 1, for a longer run by hand),
/// and the time after which a parser's run stops early (unless the scale is set).
const SCENARIO_INPUTS: usize = 20_000;
const SWEEP_INPUTS: usize = 3_000;
const TIME_LIMIT: Duration = Duration::from_secs(40);

fn scale() -> Option<usize> {
    std::env::var("SAMSPILL_FUZZ_SCALE").ok().and_then(|s| s.parse().ok())
}
/// The longest message a refusal may print (a value of the file is echoed only in part).
const LONGEST_MESSAGE: usize = 4000;

/// The panic hook is the process's: the two tests take turns at silencing it.
static HOOK: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn project(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A deterministic source of choices (SplitMix64).
struct Choices(u64);

impl Choices {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Values that stress a parser and a validator: extremes, non-numbers, wrong types.
const EXTREME: &[&str] = &[
    "1e308",
    "-1e308",
    "nan",
    "-nan",
    "inf",
    "-inf",
    "-1",
    "-0.0",
    "0",
    "5e-324",
    "9223372036854775807",
    "-9223372036854775808",
    "4294967296",
    "4294967295",
    "1000001",
    "0.9999999999999999",
    "\"\"",
    "\"x\"",
    "\"9999999-99\"",
    "\"2019-13\"",
    "\"0000-00\"",
    "[]",
    "{}",
    "true",
    "[1e308, nan]",
    "{ a = nan }",
    "1979-05-27",
    "[[1, 2], [3]]",
];

/// One mutation of `text`: a byte changed, a line deleted, duplicated or cut, a number or a
/// value replaced by an extreme one, a key of `keys` added with an extreme value, or the text
/// truncated.
fn mutate(text: &str, keys: &[(String, String)], c: &mut Choices) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let n = lines.len().max(1);
    match c.below(8) {
        7 => {
            // A very long key or value (a message may echo it only in part).
            let long = "x".repeat(20_000 + c.below(20_000));
            match c.below(3) {
                0 => format!("{text}\n{long} = 1\n"),
                1 => format!("{text}\nname = \"{long}\"\n"),
                _ => format!("{text}\n[{long}]\nkey = 1\n"),
            }
        }
        0 if !text.is_empty() => {
            let mut bytes = text.as_bytes().to_vec();
            let i = c.below(bytes.len());
            bytes[i] = (c.next() & 0x7f) as u8;
            String::from_utf8_lossy(&bytes).into_owned()
        }
        1 => {
            let i = c.below(n);
            lines.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, l)| *l).collect::<Vec<_>>().join("\n")
        }
        2 => {
            let i = c.below(n);
            let mut out: Vec<&str> = lines.clone();
            if let Some(l) = lines.get(i) {
                out.insert(i, l);
            }
            out.join("\n")
        }
        3 => {
            // Replace one number of the text.
            let starts: Vec<usize> = text
                .char_indices()
                .filter(|(i, ch)| {
                    ch.is_ascii_digit()
                        && !text[..*i].ends_with(|p: char| p.is_ascii_alphanumeric() || p == '.')
                })
                .map(|(i, _)| i)
                .collect();
            if starts.is_empty() {
                return text.to_string();
            }
            let at = *c.pick(&starts);
            let end = text[at..]
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '.'))
                .map_or(text.len(), |e| at + e);
            format!("{}{}{}", &text[..at], c.pick(EXTREME), &text[end..])
        }
        4 => {
            // Replace one value of a `key = value` line.
            let values: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].contains('=') && !lines[i].trim_start().starts_with('#'))
                .collect();
            if values.is_empty() {
                return text.to_string();
            }
            let i = *c.pick(&values);
            let key = lines[i].split('=').next().unwrap_or("");
            let replaced = format!("{key}= {}", c.pick(EXTREME));
            lines
                .iter()
                .enumerate()
                .map(|(j, l)| if j == i { replaced.as_str() } else { l })
                .collect::<Vec<_>>()
                .join("\n")
        }
        5 if !keys.is_empty() => {
            let (table, key) = c.pick(keys);
            format!("{text}\n[{table}]\n{key} = {}\n", c.pick(EXTREME))
        }
        _ => {
            let mut at = c.below(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text[..at].to_string()
        }
    }
}

/// Every `[table]` / `key = ` pair of a reference scenario, to add keys that exist.
fn keys_of(text: &str) -> Vec<(String, String)> {
    let mut table = None;
    let mut out = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('[') && t.ends_with(']') {
            table = Some(t.trim_matches(['[', ']']).to_string());
        } else if let (Some(tb), Some((k, _))) = (&table, t.split_once('='))
            && !t.starts_with('#')
        {
            out.push((tb.clone(), k.trim().to_string()));
        }
    }
    out
}

/// Tries `inputs` mutants of each seed file with `parse`; panics with the first input that
/// panics or gives an unbounded or empty message.
fn smoke(
    what: &str,
    seeds: &[PathBuf],
    keys: &[(String, String)],
    inputs: usize,
    seed: u64,
    parse: impl Fn(&Path, &str) -> Result<(), String>,
) {
    let mut c = Choices(seed);
    let texts: Vec<(PathBuf, String)> =
        seeds.iter().map(|p| (p.clone(), std::fs::read_to_string(p).unwrap())).collect();
    let started = Instant::now();
    let inputs = inputs * scale().unwrap_or(1);
    let (mut accepted, mut refused) = (0, 0);
    let _turn = HOOK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for i in 0..inputs {
        if scale().is_none() && started.elapsed() > TIME_LIMIT {
            eprintln!("{what}: time limit after {i} of {inputs} inputs");
            break;
        }
        let (path, base) = c.pick(&texts).clone();
        let mut text = base;
        for _ in 0..1 + c.below(3) {
            text = mutate(&text, keys, &mut c);
        }
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parse(&path, &text))) {
            Ok(Ok(())) => accepted += 1,
            Ok(Err(message)) => {
                refused += 1;
                if message.trim().is_empty() || message.len() > LONGEST_MESSAGE {
                    std::panic::set_hook(previous);
                    panic!(
                        "{what} input #{i}: a message of {} bytes: {message:.300}\n--- input ---\n{text:.2000}",
                        message.len()
                    );
                }
            }
            Err(_) => {
                std::panic::set_hook(previous);
                panic!("{what} input #{i} (seed file {}) panicked; the input:\n{text:.4000}", path.display());
            }
        }
    }
    std::panic::set_hook(previous);
    eprintln!("{what}: {accepted} accepted, {refused} refused with a message");
    assert!(accepted > 0 && refused > 0, "the mutations reach both outcomes");
}

#[test]
fn mutated_scenario_files_are_accepted_or_refused_never_a_panic() {
    let seeds = [
        project("tests/data/small.toml"),
        project("scenarios/baseline.toml"),
        project("scenarios/reforms/informal-contact.toml"),
        project("tests/data/reforms/fragmented.toml"),
    ];
    let keys = keys_of(&std::fs::read_to_string(project("scenarios/baseline.toml")).unwrap());
    smoke("scenario", &seeds, &keys, SCENARIO_INPUTS, 20_261_126, |path, text| {
        scenario::load_text(path, text, &Overrides::default()).map(|_| ()).map_err(|e| e.to_string())
    });
}

#[test]
fn mutated_sweep_files_are_accepted_or_refused_never_a_panic() {
    let seeds = [project("tests/data/sweeps/small.toml"), project("tests/data/sweeps/lhs.toml")];
    let keys = vec![
        ("parameter".to_string(), "name".to_string()),
        ("parameter".to_string(), "values".to_string()),
        ("parameter".to_string(), "min".to_string()),
    ];
    smoke("sweep", &seeds, &keys, SWEEP_INPUTS, 13, |path, text| {
        Sweep::parse(path, text).map(|_| ()).map_err(|e| e.to_string())
    });
}
