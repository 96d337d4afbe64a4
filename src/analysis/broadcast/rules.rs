//! The deal-line rules file: vocabulary, weights and thresholds, in one readable, versioned TOML
//! file (`rules/dealline.toml`, embedded as the default; a unit can pass its own path).
use regex::Regex;
use serde::Deserialize;

/// The rules file shipped with linesift.
pub const DEFAULT_RULES_TOML: &str = include_str!("../../../rules/dealline.toml");

/// What a content feature means to the verdict logic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Drug,
    Price,
    Availability,
    Name,
    Change,
    Benign,
    Police,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Thresholds {
    pub min_template_tokens: usize,
    pub merge_similarity: f64,
    pub episode_gap_s: i64,
    pub burst_min_recipients: usize,
    pub fanout_recipients: usize,
    pub fanout_high_recipients: usize,
    pub multi_daily_min_episodes: usize,
    pub multi_daily_per_active_day: f64,
    pub repeat_min_days: usize,
    pub marketing_score: f64,
    pub number_change_max_benign: f64,
    pub overlap_min: f64,
    pub overlap_min_common: usize,
    pub overlap_max_gap_days: f64,
    pub overlap_max_concurrent_days: f64,
    pub announce_min_share: f64,
    pub shared_template_similarity: f64,
    pub shared_template_min_tokens: usize,
    pub line_min_strength: f64,
    pub customer_index_cap: usize,
    pub max_evidence_ids: usize,
    pub sample_bodies: usize,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Structure {
    pub fan_out: f64,
    pub fan_out_high: f64,
    pub burst: f64,
    pub multi_daily: f64,
    pub repeated: f64,
    pub cross_exhibit: f64,
    pub non_mobile_sender: f64,
    pub non_mobile_prefixes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct FeatureToml {
    name: String,
    role: Role,
    label: String,
    weight: f64,
    #[serde(default)]
    per_extra: f64,
    max: f64,
    #[serde(default)]
    terms: Vec<String>,
    #[serde(default)]
    patterns: Vec<String>,
    #[serde(default)]
    stop: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct RulesToml {
    version: String,
    thresholds: Thresholds,
    structure: Structure,
    feature: Vec<FeatureToml>,
}

/// A compiled content feature.
#[derive(Debug, Clone)]
pub struct Feature {
    pub name: String,
    pub role: Role,
    pub label: String,
    pub weight: f64,
    pub per_extra: f64,
    pub max: f64,
    terms: Option<Regex>,
    patterns: Vec<Regex>,
    pub stop: Vec<String>,
}

impl Feature {
    /// Distinct matches (lower-cased text, or the first capture group of a pattern that has
    /// one), in order of first appearance.
    pub fn matches(&self, text: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut push = |s: &str| {
            let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
            if !s.is_empty() && !self.stop.contains(&s) && !out.contains(&s) {
                out.push(s);
            }
        };
        if let Some(re) = &self.terms {
            for m in re.find_iter(text) {
                push(m.as_str());
            }
        }
        for re in &self.patterns {
            for c in re.captures_iter(text) {
                match c.get(1) {
                    Some(g) => push(g.as_str()),
                    None => push(c.get(0).map(|m| m.as_str()).unwrap_or("")),
                }
            }
        }
        out
    }

    /// The score contribution of `n` distinct matches.
    pub fn score(&self, n: usize) -> f64 {
        if n == 0 {
            return 0.0;
        }
        let s = self.weight + self.per_extra * (n as f64 - 1.0);
        if self.weight >= 0.0 {
            s.min(self.max)
        } else {
            s.max(self.max)
        }
    }
}

/// The compiled rules.
#[derive(Debug, Clone)]
pub struct Rules {
    /// The `version` string of the rules file (recorded in the manifest and in reasons).
    pub version: String,
    pub t: Thresholds,
    pub s: Structure,
    pub features: Vec<Feature>,
}

impl Default for Rules {
    fn default() -> Self {
        Rules::from_toml(DEFAULT_RULES_TOML).expect("the embedded rules file is valid")
    }
}

fn term_regex(terms: &[String]) -> Result<Option<Regex>, String> {
    if terms.is_empty() {
        return Ok(None);
    }
    let mut terms: Vec<String> = terms.iter().map(|t| t.to_lowercase()).collect();
    // Longest first, so "light and dark" wins over "dark".
    terms.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    let alts: Vec<String> = terms
        .iter()
        .map(|t| {
            let words: Vec<String> = t.split_whitespace().map(regex::escape).collect();
            let body = words.join(r"\s+");
            let first_w = t.chars().next().is_some_and(|c| c.is_alphanumeric());
            let last_w = t.chars().last().is_some_and(|c| c.is_alphanumeric());
            format!(
                "{}{}{}",
                if first_w { r"\b" } else { "" },
                body,
                if last_w { r"\b" } else { "" }
            )
        })
        .collect();
    Regex::new(&format!("(?:{})", alts.join("|")))
        .map(Some)
        .map_err(|e| format!("bad term list: {e}"))
}

impl Rules {
    /// Parse and compile a rules file.
    pub fn from_toml(text: &str) -> Result<Rules, String> {
        let raw: RulesToml = toml::from_str(text).map_err(|e| format!("rules file: {e}"))?;
        let mut features = Vec::new();
        for f in raw.feature {
            let terms = term_regex(&f.terms).map_err(|e| format!("feature {}: {e}", f.name))?;
            let mut patterns = Vec::new();
            for p in &f.patterns {
                patterns.push(
                    Regex::new(p).map_err(|e| format!("feature {} pattern {p:?}: {e}", f.name))?,
                );
            }
            features.push(Feature {
                name: f.name,
                role: f.role,
                label: f.label,
                weight: f.weight,
                per_extra: f.per_extra,
                max: f.max,
                terms,
                patterns,
                stop: f.stop.iter().map(|s| s.to_lowercase()).collect(),
            });
        }
        if raw.version.trim().is_empty() {
            return Err("rules file: empty version".into());
        }
        Ok(Rules {
            version: raw.version,
            t: raw.thresholds,
            s: raw.structure,
            features,
        })
    }

    /// Read and compile a rules file from disk.
    pub fn from_path(path: &std::path::Path) -> Result<Rules, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read rules file {}: {e}", path.display()))?;
        Rules::from_toml(&text)
    }

    /// Whether a sender id is a mobile number (not a short code, alphanumeric id or landline).
    pub fn is_mobile(&self, sender: &str) -> bool {
        sender.starts_with('+')
            && sender[1..].bytes().all(|b| b.is_ascii_digit())
            && !self
                .s
                .non_mobile_prefixes
                .iter()
                .any(|p| sender.starts_with(p.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_rules_compile_and_match() {
        let r = Rules::default();
        assert!(r.version.starts_with("dealline-rules/"));
        let drug = r.features.iter().find(|f| f.role == Role::Drug).unwrap();
        assert_eq!(
            drug.matches("light n dark on, white too"),
            vec!["light n dark", "white"]
        );
        let price = r.features.iter().find(|f| f.role == Role::Price).unwrap();
        assert!(!price.matches("3 for 25 or 2-50").is_empty());
        assert!(price.matches("see you at 7").is_empty());
        let name = r.features.iter().find(|f| f.role == Role::Name).unwrap();
        assert_eq!(name.matches("the tony line both on"), vec!["tony"]);
        assert!(name.matches("new line, same service").is_empty());
        assert!(r.is_mobile("+447700900001"));
        assert!(!r.is_mobile("+441134960001"));
        assert!(!r.is_mobile("SHOPMART"));
    }

    #[test]
    fn a_unit_can_extend_the_rules() {
        let text = format!(
            "{}\n[[feature]]\nname = \"local_slang\"\nrole = \"drug\"\nlabel = \"local slang\"\nweight = 2.0\nmax = 2.0\nterms = [\"chang\"]\n",
            DEFAULT_RULES_TOML.replace("version = \"dealline-rules/1.0.0\"", "version = \"dealline-rules/1.0.0+unit\"")
        );
        let r = Rules::from_toml(&text).unwrap();
        assert_eq!(r.version, "dealline-rules/1.0.0+unit");
        let f = r.features.iter().find(|f| f.name == "local_slang").unwrap();
        assert_eq!(f.matches("chang on till 2"), vec!["chang"]);
    }

    #[test]
    fn bad_rules_are_errors() {
        assert!(Rules::from_toml("version = 1").is_err());
        let broken = DEFAULT_RULES_TOML.replace(r"'\b\d\s*-\s*[1-9][05]\b'", "'(unclosed'");
        assert!(Rules::from_toml(&broken).unwrap_err().contains("pattern"));
    }
}
