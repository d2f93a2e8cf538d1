//! The scenario reference: every key a scenario file accepts, its default and what it means.
//! `samspill check --explain` prints it, and `docs/scenario-reference.md` is this text (a test
//! keeps the two identical), so the documentation is generated from the same declarations the
//! parser and validator use.

use std::fmt::Write;

use crate::scenario::categories::{
    Category, ConversationForm, Education, Frequency, HowOften, InformalContact, LeadershipEducation,
    OfficeDistance, PreviousPost, Recommender, Role, Zone,
};
use crate::scenario::params;
use crate::scenario::{ScenarioFile, Shares};

struct Key {
    key: String,
    default: String,
    doc: String,
}

fn shares_text(s: &Shares) -> String {
    match s {
        Shares::All(c) => format!("\"{c}\""),
        Shares::Table(m) => {
            let parts: Vec<String> = m.iter().map(|(k, v)| format!("{k} = {v}")).collect();
            format!("{{ {} }}", parts.join(", "))
        }
    }
}

fn structural_keys() -> Vec<(&'static str, Vec<Key>)> {
    let d = ScenarioFile::default();
    let k = |key: &str, default: String, doc: &str| Key { key: key.into(), default, doc: doc.into() };
    let list = |names: &[&str]| names.join(", ");
    let measure =
        format!("Shares over {} (or one of them in quotes for all municipalities).", list(HowOften::NAMES));
    let p = &d.practices;
    vec![
        (
            "top level",
            vec![
                k("name", "the file's stem".into(), "Scenario name; the default results folder is results/<name>/."),
                k("title", "the name".into(), "A short title in plain bokmål (or the report's language) that reports and the teaching page show instead of the file name, e.g. \"Årlig gjennomgang av delegeringsreglementet\". Not inherited through `extends`."),
                k("description", "\"\"".into(), "Free text saying what the scenario is for."),
                k("seed", d.seed.to_string(), "Seed of every random stream; one seed fixes the whole run. `--seed` overrides it."),
                k("replications", d.replications.to_string(), "Independent replications of the national simulation. `--replications` overrides it."),
            ],
        ),
        (
            "calendar",
            vec![
                k("start", format!("\"{}\"", d.calendar.start), "First simulated month, \"YYYY-MM\". Everything before report_start is burn-in; give it decades so ages, tenures and climates settle."),
                k("report_start", format!("\"{}\"", d.calendar.report_start), "First month of the reported period (summary.json, yearly.csv)."),
                k("end", format!("\"{}\"", d.calendar.end), "Last simulated month (inclusive); the state in municipalities.csv is this month's."),
                k("election_anchor", format!("\"{}\"", d.calendar.election_anchor), "One local-election month; the others lie whole intervals before and after it (…, 2015-09, 2019-09, 2023-09, …)."),
                k("election_interval_months", d.calendar.election_interval_months.to_string(), "Months between local elections."),
                k("merger", format!("\"{}\"", d.calendar.merger), "Month the 2020 merger reform took effect; merged municipalities may appoint a new director then."),
            ],
        ),
        (
            "output",
            vec![
                k("poor_cooperation_below", d.output.poor_cooperation_below.to_string(), "Cooperation (1–5) below this counts as poor in poor_cooperation_share."),
                k("yearly", d.output.yearly.to_string(), "Write yearly.csv."),
                k("municipalities", d.output.municipalities.to_string(), "Write municipalities.csv."),
            ],
        ),
        (
            "population",
            vec![
                k("municipalities", d.population.municipalities.to_string(), "Municipalities of the register (data/municipalities-2025.csv: number, name, county, population, area) in the world: all 357, or fewer for quick runs, spread evenly over the population ranking."),
                k("centrality_intercept", d.population.centrality_intercept.to_string(), "SSB centrality (1–6) of a municipality of 6 000 inhabitants."),
                k("centrality_per_log_population", d.population.centrality_per_log_population.to_string(), "Rise in centrality per unit of log population."),
                k("centrality_noise_sd", d.population.centrality_noise_sd.to_string(), "Spread of centrality around that line (before rounding to 1–6)."),
                k("merged_share", d.population.merged_share.to_string(), "Share of municipalities formed by the 2020 merger reform."),
                k("council_extra_seats_mean", d.population.council_extra_seats_mean.to_string(), "Mean seats a council has beyond the Local Government Act § 5-5 minimum (added in pairs)."),
                k("hierarchy_three_levels_from", d.population.hierarchy_three_levels_from.to_string(), "Inhabitants from which the administration typically has three hierarchy levels."),
                k("hierarchy_four_levels_from", d.population.hierarchy_four_levels_from.to_string(), "Inhabitants from which it typically has four."),
                k("hierarchy_noise", d.population.hierarchy_noise.to_string(), "Chance that a municipality has one level more or fewer than typical."),
            ],
        ),
        (
            "practices",
            vec![
                k("fixed_meetings", shares_text(&p.fixed_meetings), &format!("Fixed mayor–director meetings: shares over {}.", list(Frequency::NAMES))),
                k("informal_contact", shares_text(&p.informal_contact), &format!("Informal mayor–director contact, drawn for each new pair: shares over {}.", list(InformalContact::NAMES))),
                k("leader_group_forum", shares_text(&p.leader_group_forum), &format!("Meetings of the political and administrative leader groups: shares over {}.", list(Frequency::NAMES))),
                k("delegation_review", shares_text(&p.delegation_review), &format!("Review of the delegation rules. {measure}")),
                k("meeting_routines_review", shares_text(&p.meeting_routines_review), &format!("Review of meeting routines. {measure}")),
                k("role_understanding_meetings", shares_text(&p.role_understanding_meetings), &format!("Meetings on roles and role understanding. {measure}")),
                k("inter_municipal_learning", shares_text(&p.inter_municipal_learning), &format!("Learning from other municipalities. {measure}")),
                k("councillor_training", shares_text(&p.councillor_training), &format!("Councillor training beyond the KS programme. {measure}")),
                k("director_release", shares_text(&p.director_release), &format!("Releasing the director for self-development. {measure}")),
                k("development_conversation", shares_text(&p.development_conversation), &format!("Who holds the yearly development conversation with the director: shares over {} (none: no conversation).", list(ConversationForm::NAMES))),
                k("who_recommends", shares_text(&p.who_recommends), &format!("Who usually drafts the recommendation to the council: shares over {}.", list(Recommender::NAMES))),
                k("office_distance", shares_text(&p.office_distance), &format!("Distance between mayor's and director's offices: shares over {}.", list(OfficeDistance::NAMES))),
                k("discretion_shift", p.discretion_shift.to_string(), "Added to every municipality's standardised room for manoeuvre of the director."),
                k("broad_recruitment_share", p.broad_recruitment_share.to_string(), "Share of councils that recruit a director with a profile and a choice anchored broadly in the council (the KS booklets' advice); the others leave it to a few. A broadly anchored choice fits the council better (market.broad_recruitment_match)."),
            ],
        ),
        (
            "roles.mayor / roles.director",
            Zone::NAMES
                .iter()
                .enumerate()
                .map(|(i, z)| {
                    let m = [&d.roles.mayor.administration, &d.roles.mayor.organisation, &d.roles.mayor.policy_making, &d.roles.mayor.politics][i];
                    let r = [&d.roles.director.administration, &d.roles.director.organisation, &d.roles.director.policy_making, &d.roles.director.politics][i];
                    k(z, format!("mayor {}; director {}", shares_text(m), shares_text(r)), &format!("Role expectations in the {z} zone, shares over {} (mayors when a mayor is elected; directors when recruited).", list(Role::NAMES)))
                })
                .collect(),
        ),
        (
            "careers",
            vec![
                k("previous_post", shares_text(&d.careers.previous_post), &format!("Backgrounds of the candidates who are not sitting directors (those come through the labour market, [market]): shares over {} (not same_post_other_municipality).", list(&PreviousPost::NAMES[1..]))),
                k("education", shares_text(&d.careers.education), &format!("Recruits' education: shares over {}.", list(Education::NAMES))),
                k("leadership_education", shares_text(&d.careers.leadership_education), &format!("Recruits' leadership education: shares over {}.", list(LeadershipEducation::NAMES))),
            ],
        ),
        (
            "adoption",
            vec![
                k("from", "none (no [adoption]: the scenario holds everywhere, always)".into(), "A reform adopted at a date: the first month, \"YYYY-MM\", its own keys (those of [practices], [roles], [careers], [trends] and the mechanism tables the file sets beyond the scenario it extends) hold. Before it every municipality follows the scenario extended, so every difference is exactly 0; from it the adopters follow the reform: a changed practice is drawn again with the same random number, a changed parameter holds from that month. Not inherited through `extends`."),
                k("share", "1".into(), "Share of the targeted municipalities that adopt it, 0–1, drawn from a stream of its own: the same municipalities in every scenario with the same share and target, a smaller share's among a larger one's. With a share below 1 or a `where`, the other municipalities are tallied as in the scenario extended (the labour market's spillovers to them are left out)."),
                k("where", "every municipality".into(), "Which municipalities may adopt (all given conditions hold): `population_below`, `population_at_least` (inhabitants), `coalition_parties_at_least` (at the adoption date), `county` (a county of the register), `numbers = [3427, …]` (kommunenummer)."),
                k("changes", "the file's own keys".into(), "The reform's keys, as the file's tables are moved here when it is read (a results folder's scenario.toml writes them so). A file that gives `[adoption.changes]` itself keeps its other keys as the scenario before adoption."),
            ],
        ),
    ]
}

/// The whole reference as Markdown.
pub fn markdown() -> String {
    let mut out = String::new();
    out.push_str("# Scenario reference\n\n");
    out.push_str(
        "Every key a scenario file accepts, with its default. A missing key takes its default, so an empty\n",
    );
    out.push_str(
        "file is the model's default national scenario. Unknown keys, wrong types, values out of range and\n",
    );
    out.push_str("shares that do not sum to one are errors that name the file, line, column and key.\n\n");
    out.push_str("This page is generated: `samspill check --explain` prints it.\n");
    for (table, keys) in structural_keys() {
        let _ = write!(
            out,
            "\n## `{}`\n\n| key | default | meaning |\n| --- | --- | --- |\n",
            if table == "top level" { "(top level)".to_string() } else { format!("[{table}]") }
        );
        for k in keys {
            let _ = writeln!(out, "| `{}` | `{}` | {} |", k.key, k.default, k.doc);
        }
    }
    let mut group = "";
    for p in params::reference() {
        if p.group != group {
            group = p.group;
            let _ = write!(
                out,
                "\n## `[{group}]`\n\n| key | default | range | meaning |\n| --- | --- | --- | --- |\n"
            );
        }
        let _ = writeln!(out, "| `{}` | `{}` | {} – {} | {} |", p.name, p.default, p.min, p.max, p.doc);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn docs_page_is_the_generated_reference() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/scenario-reference.md");
        let on_disk = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            on_disk == super::markdown(),
            "docs/scenario-reference.md is out of date: regenerate it with `cargo run -- check --explain > docs/scenario-reference.md`"
        );
    }

    #[test]
    fn every_default_key_is_documented() {
        let text = super::markdown();
        let defaults = toml::Table::try_from(crate::scenario::ScenarioFile::default()).unwrap();
        fn walk(t: &toml::Table, text: &str, prefix: &str) {
            for (k, v) in t {
                // Distribution tables are values, not sections: their categories are listed in the key's line.
                let is_section = matches!(v, toml::Value::Table(_))
                    && !crate::scenario::SHARE_TABLES.contains(&prefix.trim_end_matches('.'));
                if is_section {
                    walk(v.as_table().unwrap(), text, &format!("{prefix}{k}."));
                } else {
                    assert!(text.contains(&format!("| `{k}` |")), "key {prefix}{k} is not documented");
                }
            }
        }
        walk(&defaults, &text, "");
    }
}
