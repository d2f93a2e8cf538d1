//! The teacher's guide (docs/laererveiledning.md) tested: each demonstration in it is run
//! through the teaching server's API exactly as the page runs it (the page's default terms and
//! replications, the municipality the guide names), and each claim the guide makes about what
//! the room will see is asserted. If the model or the page changes so that a demonstration no
//! longer shows what the guide promises, this fails, and the guide must be rewritten with it.
//!
//! The claims are the guide's words: "lower", "far more", "about three times" — asserted with
//! margins that say the same thing, not the exact figures in its parentheses (which the guide
//! itself says were read on a given day). The runs are fixed by the baseline's seed, so these
//! are not statistical tests: the same build always gives the same answers.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_samspill"))
            .args(["serve", "--port", "0", "--quiet"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the binary starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("the server prints its address");
        Server { child, url: line.trim().to_string() }
    }

    fn agent() -> ureq::Agent {
        ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(300))).build().into()
    }

    fn catalogue(&self) -> Value {
        let text = Self::agent()
            .get(&format!("{}api/levers", self.url))
            .call()
            .expect("the server answers")
            .body_mut()
            .read_to_string()
            .unwrap();
        serde_json::from_str(&text).unwrap()
    }

    /// What the page gets for `levers` with the municipality called `name`.
    fn run(&self, catalogue: &Value, name: &str, levers: Value) -> Value {
        let members = catalogue["base"]["members"].as_array().unwrap();
        let id =
            members.iter().position(|m| m["name"] == name).unwrap_or_else(|| panic!("{name} is in the list"));
        let body = json!({ "municipality": id, "levers": levers }).to_string();
        let text = Self::agent()
            .post(&format!("{}api/run", self.url))
            .header("Content-Type", "application/json")
            .send(body.as_str())
            .expect("the server answers")
            .body_mut()
            .with_config()
            .limit(50_000_000)
            .read_to_string()
            .unwrap();
        serde_json::from_str(&text).unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A preset's levers, as the page sends them.
fn preset(catalogue: &Value, key: &str) -> Value {
    let p = catalogue["presets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["key"] == key)
        .expect("the guide's preset");
    let levers: serde_json::Map<String, Value> = p["levers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| (pair[0].as_str().unwrap().to_string(), pair[1].clone()))
        .collect();
    Value::Object(levers)
}

fn sum(v: &Value) -> f64 {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).sum()
}

fn mean(v: &Value, from: usize, to: usize) -> f64 {
    let a = v.as_array().unwrap();
    let to = to.min(a.len());
    a[from..to].iter().map(|x| x.as_f64().unwrap()).sum::<f64>() / (to - from) as f64
}

/// The national card value `key` ("settings" or "baseline").
fn card(answer: &Value, side: &str, key: &str) -> f64 {
    answer["many"][side][key]["mean"].as_f64().unwrap()
}

/// The paired difference of `outcome` and its interval.
fn difference(answer: &Value, outcome: &str) -> (f64, f64, f64) {
    let d =
        answer["many"]["differences"].as_array().unwrap().iter().find(|d| d["outcome"] == outcome).unwrap();
    (d["difference"].as_f64().unwrap(), d["ci95"][0].as_f64().unwrap(), d["ci95"][1].as_f64().unwrap())
}

/// Exits per 100 municipalities per year for `reason` ("settings" or "baseline").
fn exits(answer: &Value, catalogue: &Value, side: &str, reason: &str) -> f64 {
    let i = catalogue["exit_reasons"].as_array().unwrap().iter().position(|r| r["key"] == reason).unwrap();
    answer["many"][side]["exits_by_reason_per_100_per_year"][i].as_f64().unwrap()
}

#[test]
fn the_guides_demonstrations_show_what_it_promises() {
    let guide = std::fs::read_to_string("docs/laererveiledning.md").expect("the guide");
    let server = Server::start();
    let catalogue = server.catalogue();

    // The links the guide gives name presets the page has.
    for key in ["som-i-dag", "godt-samspill", "fragmentert", "ks-anbefalingene"] {
        assert!(catalogue["presets"].as_array().unwrap().iter().any(|p| p["key"] == key), "{key}");
        assert!(guide.contains(&format!("?preset={key}")), "the guide links {key}");
    }
    // "Siden starter med Hareid, kommunen med middels innbyggertall" (the page's start()).
    let members = catalogue["base"]["members"].as_array().unwrap();
    let mut by_size: Vec<&Value> = members.iter().collect();
    by_size.sort_by(|a, b| a["population"].as_f64().unwrap().total_cmp(&b["population"].as_f64().unwrap()));
    assert_eq!(by_size[by_size.len() / 2]["name"], "Hareid", "the page starts with the guide's municipality");
    assert!(guide.contains("Siden starter med Hareid"));

    // "Hele landet (357 kommuner) er simulert åtte ganger", "svakt samarbeid (under 3,5)",
    // "to valgperioder", "de 357 kommunene i landet".
    assert_eq!(members.len(), 357);
    assert_eq!(catalogue["base"]["municipalities"], 357);
    assert_eq!(catalogue["defaults"]["replications"], 8);
    assert_eq!(catalogue["defaults"]["terms"], 2);
    assert_eq!(catalogue["poor_cooperation_below"], 3.5);
    for words in ["Hele landet (357 kommuner) er simulert åtte", "(under 3,5)", "to valgperioder (2015–2023)"]
    {
        assert!(guide.contains(words), "the guide says {words}");
    }

    // 1. The fragmented council, in Hareid.
    let today = server.run(&catalogue, "Hareid", json!({}));
    let fragmented = server.run(&catalogue, "Hareid", preset(&catalogue, "fragmentert"));
    assert_eq!(today["window"]["start"], "2015-09", "the settings hold from the 2015 election");
    assert_eq!(
        today["story"]["profile"], fragmented["story"]["profile"],
        "the line describing the municipality is the same in both runs"
    );
    let (s, t) = (&fragmented["story"], &today["story"]);
    assert!(sum(&t["friction"]) <= 5.0, "Hareid today: almost no friction ({})", sum(&t["friction"]));
    for (from, to) in [(0, 48), (48, 96)] {
        assert!(
            mean(&s["cooperation"], from, to) < mean(&t["cooperation"], from, to) - 0.3,
            "the curve lies lower in both terms"
        );
    }
    assert!(
        s["cooperation"].as_array().unwrap().iter().any(|c| c.as_f64().unwrap() < 3.5),
        "into the red zone"
    );
    let (f, u) = (sum(&s["friction"]), sum(&s["unresolved"]));
    assert!(f >= 40.0 && f >= 10.0 * sum(&t["friction"]), "far more friction cases: {f}");
    assert!((0.3..=0.7).contains(&(u / f)), "about half unresolved: {u} of {f}");
    let leaves = s["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "director_leaves")
        .expect("the director leaves");
    assert!(
        leaves["month"].as_u64().unwrap() < 48 && leaves["acting_follows"] == true,
        "in the first term, an acting follows"
    );
    let (d, _, high) = difference(&fragmented, "cooperation_mean");
    assert!(high < -0.5, "cooperation falls by more than half a point: {d}");
    let poor = (
        card(&fragmented, "settings", "poor_cooperation_share"),
        card(&fragmented, "baseline", "poor_cooperation_share"),
    );
    assert!((2.4..=3.6).contains(&(poor.0 / poor.1)), "poor cooperation about triples: {poor:?}");
    let ex = (
        card(&fragmented, "settings", "exits_per_100_per_year"),
        card(&fragmented, "baseline", "exits_per_100_per_year"),
    );
    assert!((2.3..=3.2).contains(&(ex.0 / ex.1)), "directors leave nearly three times as often: {ex:?}");
    let career = (
        exits(&fragmented, &catalogue, "settings", "career_move"),
        exits(&fragmented, &catalogue, "baseline", "career_move"),
    );
    assert!(career.0 >= 3.0 * career.1, "many more career moves: {career:?}");
    for reason in ["conflict_with_politicians", "dismissal_or_negotiated_exit"] {
        assert!(
            exits(&fragmented, &catalogue, "settings", reason)
                > exits(&fragmented, &catalogue, "baseline", reason),
            "more leave after conflict or a negotiated exit ({reason})"
        );
    }

    // 2. Talking in peacetime, in Luster.
    let luster = server.run(&catalogue, "Luster", json!({}));
    assert_eq!(luster["story"]["profile"]["informal_contact"], "several_per_week");
    let rarer = server.run(&catalogue, "Luster", json!({"informal": "rarer"}));
    let daily = server.run(&catalogue, "Luster", json!({"informal": "daily"}));
    let (s, t) = (&rarer["story"], &luster["story"]);
    assert!(sum(&s["unresolved"]) >= 2.0 * sum(&t["unresolved"]), "far more cases left unresolved");
    assert!(sum(&s["friction"]) > sum(&t["friction"]), "more cases come");
    let gap = |from, to| mean(&t["cooperation"], from, to) - mean(&s["cooperation"], from, to);
    assert!(gap(0, 48) > 0.0 && gap(48, 96) > gap(0, 48), "below today's, most in the second term");
    let (d_rarer, _, high) = difference(&rarer, "cooperation_mean");
    assert!(high < 0.0 && (-0.25..=-0.12).contains(&d_rarer), "nearly 0.2 lower nationally: {d_rarer}");
    let (d_exits, low, _) = difference(&rarer, "exits_per_100_per_year");
    assert!(low > 0.0, "directors leave more often: {d_exits}");
    let (d_daily, low, _) = difference(&daily, "cooperation_mean");
    assert!(
        low > 0.0 && d_daily < -d_rarer,
        "daily contact gains less than rarer contact loses: {d_daily} vs {d_rarer}"
    );

    // 3. When expectations differ, in Hareid.
    let apart = server.run(&catalogue, "Hareid", json!({"roles": "apart"}));
    let shared = server.run(&catalogue, "Hareid", json!({"roles": "shared"}));
    let (s, t) = (&apart["story"], &today["story"]);
    assert!(
        sum(&s["friction"]) >= 10.0 && sum(&s["friction"]) >= 5.0 * sum(&t["friction"]),
        "friction appears"
    );
    assert!(mean(&s["cooperation"], 0, 96) < mean(&t["cooperation"], 0, 96) - 0.2, "the curve lies lower");
    let (d_apart, _, high) = difference(&apart, "cooperation_mean");
    assert!(high < 0.0, "cooperation falls nationally: {d_apart}");
    assert!(difference(&apart, "exits_per_100_per_year").1 > 0.0, "more directors leave");
    let (d_shared, low, _) = difference(&shared, "cooperation_mean");
    assert!(
        low > 0.0 && d_shared < 0.1 && d_shared < -d_apart / 2.0,
        "shared expectations: a small gain ({d_shared})"
    );

    // 4. What the KS recommendations change.
    let ks = server.run(&catalogue, "Hareid", preset(&catalogue, "ks-anbefalingene"));
    let (d, low, _) = difference(&ks, "cooperation_mean");
    assert!(low > 0.1, "cooperation improves: {d}");
    let poor =
        (card(&ks, "settings", "poor_cooperation_share"), card(&ks, "baseline", "poor_cooperation_share"));
    assert!(
        (0.45..=0.75).contains(&(poor.0 / poor.1)),
        "poor cooperation down by about 40 per cent: {poor:?}"
    );
    assert!(difference(&ks, "exits_per_100_per_year").2 < 0.0, "fewer directors leave");
    for reason in ["conflict_with_politicians", "dismissal_or_negotiated_exit"] {
        let (k, b) = (exits(&ks, &catalogue, "settings", reason), exits(&ks, &catalogue, "baseline", reason));
        assert!(k < 0.75 * b, "far fewer exits after conflict or negotiation ({reason}: {k} vs {b})");
    }
    assert!(
        exits(&ks, &catalogue, "settings", "career_move") < exits(&ks, &catalogue, "baseline", "career_move"),
        "fewer career moves"
    );
    let bins = |side: &str| ks["many"][side]["cooperation_bins"].as_array().unwrap()[0].as_f64().unwrap();
    assert!(bins("settings") < bins("baseline"), "the tail of the worst relationships shrinks");
}
