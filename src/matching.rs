//! Matching: one pass of the catalog against every parser's path rule (a `RegexSet`), plus the
//! grouping of a database with its `-wal` / `-journal`, and Android's storage-view duplicates.
use regex::{Regex, RegexSet};

use linesift_parsers::paths::canonical;
use linesift_parsers::registry::{registry, ArtifactSpec};

pub struct Matcher {
    set: RegexSet,
    specs: Vec<&'static ArtifactSpec>,
    view: Regex,
}

/// Companion files SQLite keeps beside a database.
pub const COMPANIONS: &[&str] = &["-wal", "-journal"];

impl Default for Matcher {
    fn default() -> Self {
        Self::new()
    }
}

impl Matcher {
    pub fn new() -> Matcher {
        let specs = registry();
        let set =
            RegexSet::new(specs.iter().map(|s| s.pattern)).expect("parser path rules compile");
        Matcher {
            set,
            specs,
            view: Regex::new(
                r"^/(?:data/(data)|data/user/(\d+)|data/user_de/(\d+)|data_mirror/data_(ce|de)/[^/]+/(\d+))/(.+)$",
            )
            .unwrap(),
        }
    }

    pub fn specs(&self) -> &[&'static ArtifactSpec] {
        &self.specs
    }

    /// Parsers whose rule matches this canonical path (indexes into [`Matcher::specs`]).
    pub fn parsers_for(&self, canonical_path: &str) -> Vec<usize> {
        self.set.matches(canonical_path).into_iter().collect()
    }

    /// For a companion (`x.db-wal`), the canonical path of its database, if that is an artifact.
    pub fn companion_of(&self, canonical_path: &str) -> Option<(String, &'static str)> {
        for suf in COMPANIONS {
            if let Some(stem) = canonical_path.strip_suffix(suf) {
                if self.parsers_for(stem).iter().any(|&i| self.specs[i].sqlite) {
                    return Some((stem.to_string(), suf));
                }
            }
        }
        None
    }

    /// Whether an entry (by its stored name) must be read: an artifact or a companion of one.
    pub fn wants(&self, stored_name: &str) -> bool {
        let c = canonical(stored_name);
        self.set.is_match(&c) || self.companion_of(&c).is_some()
    }

    /// The key under which Android's storage views of one file coincide: `/data/data/x` and
    /// `/data/user/0/x` and `/data_mirror/data_ce/null/0/x` are one file; `/data/user_de/0/x` is
    /// device-encrypted storage (a different file). Other paths are their own key.
    pub fn view_key(&self, canonical_path: &str) -> String {
        match self.view.captures(canonical_path) {
            Some(c) => {
                let rest = c.get(6).map_or("", |m| m.as_str());
                let (class, user) = if c.get(1).is_some() {
                    ("ce", "0")
                } else if let Some(u) = c.get(2) {
                    ("ce", u.as_str())
                } else if let Some(u) = c.get(3) {
                    ("de", u.as_str())
                } else {
                    (
                        c.get(4).map_or("ce", |m| m.as_str()),
                        c.get(5).map_or("0", |m| m.as_str()),
                    )
                };
                format!("android:{class}:{user}:{rest}")
            }
            None => canonical_path.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_views_share_a_key() {
        let m = Matcher::new();
        let a = m.view_key("/data/data/com.whatsapp/databases/msgstore.db");
        assert_eq!(
            a,
            m.view_key("/data/user/0/com.whatsapp/databases/msgstore.db")
        );
        assert_eq!(
            a,
            m.view_key("/data_mirror/data_ce/null/0/com.whatsapp/databases/msgstore.db")
        );
        assert_ne!(
            a,
            m.view_key("/data/user/10/com.whatsapp/databases/msgstore.db")
        );
        assert_ne!(
            a,
            m.view_key("/data/user_de/0/com.whatsapp/databases/msgstore.db")
        );
    }
}
