//! Shards of a sweep: `--shard K/N` runs the points whose index is K−1 modulo N, a shard's
//! folder records which points it holds (`ShardRecord`), and `merge` joins the shards' rows
//! back in index order into the `sweep.csv` an unsharded run writes, byte for byte.

use serde::{Deserialize, Serialize};

/// One shard of a sweep: `index` of `count`, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("`{s}` is not a shard: write K/N with 1 ≤ K ≤ N, e.g. 1/4");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (usize, usize) =
            (k.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

/// What a shard's folder records so that `merge` can check it belongs with the others.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShardRecord {
    pub sweep: String,
    pub sweep_sha256: String,
    pub shard: Shard,
    pub total_points: usize,
    pub points: Vec<usize>,
    /// The `sweep.csv` header, for plotting after the merge.
    pub header: String,
}

/// Joins the shards of one sweep, each as its record and its `sweep.csv` text, into the record
/// and `sweep.csv` text of the whole sweep: the same bytes an unsharded run writes. Shards of
/// different sweeps, a missing point or a point given twice are errors.
pub fn merge(shards: &[(ShardRecord, String)]) -> Result<(ShardRecord, String), String> {
    let Some((first, _)) = shards.first() else {
        return Err("no shards to merge\n  hint: pass the folders `samspill sweep --shard K/N` wrote".into());
    };
    for (r, _) in shards {
        if r.sweep_sha256 != first.sweep_sha256 || r.header != first.header {
            return Err(format!(
                "the folders hold shards of different sweeps ({} and {})\n  hint: merge only the shards of one sweep file, run with the same scenario",
                first.sweep, r.sweep
            ));
        }
    }
    let mut lines: Vec<(usize, &str)> = Vec::new();
    for (r, csv) in shards {
        for line in csv.lines().skip(1).filter(|l| !l.is_empty()) {
            let point: usize = line
                .split(',')
                .next()
                .and_then(|p| p.parse().ok())
                .ok_or_else(|| format!("{}: a row of sweep.csv has no point number", r.sweep))?;
            lines.push((point, line));
        }
    }
    lines.sort_by_key(|(p, _)| *p);
    let points: Vec<usize> = lines.iter().map(|(p, _)| *p).collect();
    let expected: Vec<usize> = (1..=first.total_points).collect();
    if points != expected {
        let missing: Vec<String> =
            expected.iter().filter(|p| !points.contains(p)).map(|p| p.to_string()).collect();
        let duplicated = points.windows(2).any(|w| w[0] == w[1]);
        return Err(format!(
            "the shards do not hold each of the sweep's {} points exactly once (missing: {}{})\n  hint: pass every shard's folder once, e.g. those of --shard 1/{n} … {n}/{n}",
            first.total_points,
            if missing.is_empty() { "none".into() } else { missing.join(", ") },
            if duplicated { "; some points appear twice" } else { "" },
            n = first.shard.count
        ));
    }
    let mut csv = first.header.clone();
    csv.push('\n');
    for (_, line) in &lines {
        csv.push_str(line);
        csv.push('\n');
    }
    let record = ShardRecord { shard: Shard { index: 1, count: 1 }, points: expected, ..first.clone() };
    Ok((record, csv))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_written_k_of_n() {
        assert_eq!("1/4".parse::<Shard>(), Ok(Shard { index: 1, count: 4 }));
        assert_eq!(" 4 / 4 ".parse::<Shard>(), Ok(Shard { index: 4, count: 4 }));
        for bad in ["0/4", "5/4", "x", "1/", "/4", "-1/4", "1/0", "1:4", "1/4/2"] {
            let e = bad.parse::<Shard>().unwrap_err();
            assert!(e.contains(&format!("`{bad}`")), "{bad}: {e}");
        }
    }

    fn record(shard: Shard, points: Vec<usize>, header: &str) -> ShardRecord {
        ShardRecord {
            sweep: "s.toml".into(),
            sweep_sha256: "abc".into(),
            shard,
            total_points: 5,
            points,
            header: header.into(),
        }
    }

    #[test]
    fn merging_shards_restores_the_whole_sweep_and_rejects_what_does_not_fit() {
        let header = "point,x,replications,y";
        let line = |p: usize| format!("{p},{},2,{}", p * 10, p as f64 / 4.0);
        let csv = |points: &[usize]| {
            let mut text = format!("{header}\n");
            for &p in points {
                text.push_str(&line(p));
                text.push('\n');
            }
            text
        };
        let one = (record(Shard { index: 1, count: 2 }, vec![1, 3, 5], header), csv(&[1, 3, 5]));
        let two = (record(Shard { index: 2, count: 2 }, vec![2, 4], header), csv(&[2, 4]));
        let whole = csv(&[1, 2, 3, 4, 5]);
        for shards in [vec![one.clone(), two.clone()], vec![two.clone(), one.clone()]] {
            let (merged, text) = merge(&shards).unwrap();
            assert_eq!(text, whole);
            assert_eq!((merged.shard, merged.points), (Shard { index: 1, count: 1 }, vec![1, 2, 3, 4, 5]));
            assert_eq!((merged.sweep_sha256.as_str(), merged.total_points), ("abc", 5));
        }

        let missing = (two.0.clone(), csv(&[2]));
        let e = merge(&[one.clone(), missing]).unwrap_err();
        assert!(e.contains("missing: 4"), "{e}");
        let e = merge(&[one.clone(), two.clone(), two.clone()]).unwrap_err();
        assert!(e.contains("twice"), "{e}");
        let mut foreign = two.clone();
        foreign.0.sweep_sha256 = "def".into();
        assert!(merge(&[one.clone(), foreign]).unwrap_err().contains("different sweeps"));
        let mut other_header = two.clone();
        other_header.0.header = "point,z,replications,y".into();
        assert!(merge(&[one.clone(), other_header]).unwrap_err().contains("different sweeps"));
        let unnumbered = (two.0.clone(), format!("{header}\nx,1,2,3\n"));
        assert!(merge(&[one, unnumbered]).unwrap_err().contains("no point number"));
        assert!(merge(&[]).is_err());
    }
}
