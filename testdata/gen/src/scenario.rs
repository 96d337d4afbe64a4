//! A labelled county-lines scenario: deal lines that advertise by bulk texts and change number,
//! their customers, runners, and heavy benign bulk senders including every hard negative the
//! detector must not call marketing.
//!
//! [`build`] returns a [`Scenario`]: the [`World`] (seized handsets) plus [`Labels`] (what each
//! message key is, which numbers form each line, which number pairs are true line links). It is
//! seeded and deterministic, and scales from [`demo_world`] (a handful of phones) to the bench
//! size (10 million messages over 100 exhibits) through [`Config`]. Only Ofcom drama numbers,
//! short codes and alphanumeric sender ids are used.
//!
//! The phrase banks live in [`banks`], written independently of the detector's rules file.
use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::rng::Rng;
use crate::world::*;

pub mod banks;
use banks::*;

/// What a generated message is (by message key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Label {
    /// Person-to-person chat.
    Chat,
    /// A customer's order, a line's 1:1 reply, a runner instruction: drug-related, not bulk.
    Deal,
    /// A deal-line advert.
    Marketing,
    /// A line announcing its new number.
    NumberChange,
    /// Bulk but benign, of the given kind (the hard negatives).
    Benign(Neg),
}

/// Benign bulk kinds (hard negatives).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Neg {
    Takeaway,
    PubQuiz,
    WindowCleaner,
    Minicab,
    Eggs,
    ParentsGroup,
    FamilyNewYear,
    ChurchShelter,
    Smishing,
    PoliceWarning,
    ShopPromo,
}

impl Neg {
    pub fn name(self) -> &'static str {
        match self {
            Neg::Takeaway => "takeaway",
            Neg::PubQuiz => "pub_quiz",
            Neg::WindowCleaner => "window_cleaner",
            Neg::Minicab => "minicab",
            Neg::Eggs => "eggs",
            Neg::ParentsGroup => "parents_group",
            Neg::FamilyNewYear => "family_new_year",
            Neg::ChurchShelter => "church_shelter",
            Neg::Smishing => "smishing",
            Neg::PoliceWarning => "police_warning",
            Neg::ShopPromo => "shop_promo",
        }
    }
}

/// A true line: its name and its numbers in the order it used them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrueLine {
    pub name: String,
    pub numbers: Vec<String>,
    /// Whether one of the line's phones is an exhibit.
    pub phone_seized: bool,
}

/// A true link between two numbers of one line (`from` used before `to`, or one handset).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct TrueLink {
    pub from: String,
    pub to: String,
    /// `number_change` or `same_handset`.
    pub kind: &'static str,
}

/// The known answer.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Labels {
    /// Label of message key `k` at index `k`.
    pub by_key: Vec<Label>,
    pub lines: Vec<TrueLine>,
    pub links: Vec<TrueLink>,
}

impl Labels {
    pub fn label(&self, key: u64) -> Label {
        self.by_key[key as usize]
    }
    /// Unordered number pairs that belong to one line and are directly linked.
    pub fn link_pairs(&self) -> BTreeSet<(String, String)> {
        self.links
            .iter()
            .map(|l| {
                if l.from <= l.to {
                    (l.from.clone(), l.to.clone())
                } else {
                    (l.to.clone(), l.from.clone())
                }
            })
            .collect()
    }
    /// The true line index of a number, if it is a line number.
    pub fn line_of(&self, number: &str) -> Option<usize> {
        self.lines
            .iter()
            .position(|l| l.numbers.iter().any(|n| n == number))
    }
}

#[derive(Debug, Clone)]
pub struct Scenario {
    pub world: World,
    pub labels: Labels,
}

/// Scenario size and shape.
#[derive(Debug, Clone)]
pub struct Config {
    pub seed: u64,
    /// First day, Unix ms (UTC midnight).
    pub start_ms: i64,
    pub days: i64,
    pub lines: usize,
    /// Each line changes number 0..=max_changes times.
    pub max_changes: usize,
    /// Customers per line (inclusive range).
    pub customers: (usize, usize),
    /// Advert bursts per active day (inclusive range).
    pub bursts_per_day: (u32, u32),
    /// Share of lines whose phone is seized.
    pub seized_line_share: f64,
    pub customer_exhibits: usize,
    pub runner_exhibits: usize,
    /// Include the benign bulk senders (hard negatives).
    pub benign: bool,
    /// Chat messages per exhibit per day (before `target_messages` tops it up).
    pub chat_per_day: f64,
    /// If set, chat is added until the world holds about this many message copies.
    pub target_messages: Option<u64>,
}

/// 2025-11-01 00:00:00 UTC.
pub const START_MS: i64 = 1_761_955_200_000;
const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;
const MIN: i64 = 60_000;

impl Config {
    /// The labelled evaluation corpus.
    pub fn eval(seed: u64) -> Config {
        Config {
            seed,
            start_ms: START_MS,
            days: 90,
            lines: 8,
            max_changes: 2,
            customers: (40, 160),
            bursts_per_day: (1, 4),
            seized_line_share: 0.6,
            customer_exhibits: 24,
            runner_exhibits: 3,
            benign: true,
            chat_per_day: 6.0,
            target_messages: None,
        }
    }
    /// The bench corpus: about `messages` message copies over `exhibits` exhibits.
    pub fn bench(seed: u64, messages: u64, exhibits: usize) -> Config {
        let exhibits = exhibits.max(10);
        let lines = (exhibits / 5).clamp(2, 24);
        Config {
            seed,
            start_ms: START_MS,
            // The case runs longer as it grows, so the mix of adverts and chat stays the same.
            days: ((150 * messages) / 10_000_000).clamp(12, 150) as i64,
            lines,
            max_changes: 2,
            customers: (150, 500),
            bursts_per_day: (2, 4),
            seized_line_share: 1.0,
            customer_exhibits: exhibits.saturating_sub(lines + 5 + 3),
            runner_exhibits: 5,
            benign: true,
            chat_per_day: 0.0,
            target_messages: Some(messages),
        }
    }
    /// The small demo case.
    pub fn demo() -> Config {
        Config {
            seed: 7,
            start_ms: START_MS,
            days: 40,
            lines: 1,
            max_changes: 1,
            customers: (30, 30),
            bursts_per_day: (2, 3),
            seized_line_share: 1.0,
            customer_exhibits: 4,
            runner_exhibits: 1,
            benign: true,
            chat_per_day: 3.0,
            target_messages: None,
        }
    }
}

/// The small demo case: one line phone that sends adverts, changes number mid-way and announces
/// it (the seized phone holds both SIMs), four customer phones, a runner phone, benign bulk.
pub fn demo_world() -> World {
    build(&Config::demo()).world
}

/// The demo case with its labels.
pub fn demo() -> Scenario {
    build(&Config::demo())
}

// Number ranges within the drama block 07700 900000-900999.
const LINE_BASE: u32 = 0; // 0..100 line numbers
const BENIGN_BASE: u32 = 100; // 100..140 benign senders
const FRIEND_BASE: u32 = 140; // 140..300 friends, runners, family
const CUSTOMER_BASE: u32 = 300; // 300..1000 customers

struct Owner {
    handset: usize,
    from: i64,
    to: i64,
}

struct Builder {
    rng: Rng,
    handsets: Vec<Handset>,
    owners: HashMap<String, Vec<Owner>>,
    labels: Vec<Label>,
    copies: u64,
}

impl Builder {
    fn handset_at(&self, number: &str, ts: i64) -> Option<usize> {
        self.owners
            .get(number)?
            .iter()
            .find(|o| o.from <= ts && ts < o.to)
            .map(|o| o.handset)
    }

    fn add_handset(&mut self, h: Handset, windows: &[(String, i64, i64)]) -> usize {
        let idx = self.handsets.len();
        self.handsets.push(h);
        for (n, from, to) in windows {
            self.owners.entry(n.clone()).or_default().push(Owner {
                handset: idx,
                from: *from,
                to: *to,
            });
        }
        idx
    }

    /// One logical message from `from` to `to` (first is the main recipient). Copies go to the
    /// sender's handset (outgoing) and every recipient's handset (incoming), where seized.
    fn send(&mut self, app: GApp, from: &str, to: &[String], ts: i64, body: &str, label: Label) {
        let out = self.handset_at(from, ts);
        let ins: Vec<usize> = to
            .iter()
            .filter_map(|r| self.handset_at(r, ts))
            .filter(|h| Some(*h) != out)
            .collect();
        if out.is_none() && ins.is_empty() {
            return;
        }
        let key = self.labels.len() as u64;
        self.labels.push(label);
        let read = self.rng.chance(0.9);
        if let Some(h) = out {
            let peer = to[0].clone();
            let peer_raw = raw(&peer, h);
            self.handsets[h].messages.push(GMessage {
                key,
                app,
                ts_ms: ts,
                outgoing: true,
                peer,
                peer_raw,
                extra_recipients: to[1..].to_vec(),
                group: None,
                body: body.to_string(),
                state: GState::Live,
                read: true,
            });
            self.copies += 1;
        }
        for h in ins {
            let peer_raw = raw(from, h);
            self.handsets[h].messages.push(GMessage {
                key,
                app,
                ts_ms: ts + 1500,
                outgoing: false,
                peer: from.to_string(),
                peer_raw,
                extra_recipients: Vec::new(),
                group: None,
                body: body.to_string(),
                state: GState::Live,
                read,
            });
            self.copies += 1;
        }
    }
}

/// How handset `h` stores a number (styles vary by handset).
fn raw(number: &str, h: usize) -> String {
    if number.starts_with("+44") {
        uk_style(number, (h as u32 * 3 + number.len() as u32) % 8)
    } else {
        number.to_string()
    }
}

/// Fill `{..}` placeholders with random values.
fn fill(rng: &mut Rng, s: &str, name: &str, old: &str, new: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut rest = s;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let Some(j) = rest[i..].find('}') else {
            out.push_str(&rest[i..]);
            return out;
        };
        let tag = &rest[i + 1..i + j];
        match tag {
            "name" => out.push_str(name),
            "NAME" => out.push_str(&name.to_uppercase()),
            "n" | "m" => out.push_str(&rng.range(2, 6).to_string()),
            "p" => out.push_str(&(rng.range(2, 9) * 5).to_string()),
            "q" => out.push_str(&(rng.range(1, 5) * 10).to_string()),
            "h" => out.push_str(&rng.range(1, 12).to_string()),
            "old" => out.push_str(old),
            "new" => out.push_str(new),
            "prod" => out.push_str(rng_pick(rng, PRODUCTS)),
            _ => out.push_str(tag),
        }
        rest = &rest[i + j + 1..];
    }
    out.push_str(rest);
    out
}

/// A small typing error in one word.
fn typo(rng: &mut Rng, s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let letters: Vec<usize> = (1..chars.len().saturating_sub(1))
        .filter(|&i| chars[i].is_ascii_alphabetic() && chars[i + 1].is_ascii_alphabetic())
        .collect();
    if letters.is_empty() {
        return s.to_string();
    }
    let i = *rng.pick(&letters);
    let mut c = chars.clone();
    match rng.below(3) {
        0 => c.swap(i, i + 1),
        1 => {
            c.remove(i);
        }
        _ => c.insert(i, chars[i]),
    }
    c.into_iter().collect()
}

/// A line's advert style: a few skeletons (indices into the banks) it keeps reusing.
struct Style {
    name: String,
    skeletons: Vec<Skeleton>,
    decor: Vec<&'static str>,
    upper: bool,
}

struct Skeleton {
    opener: &'static str,
    ident: &'static str,
    status: &'static str,
    products: Vec<&'static str>,
    offers: Vec<&'static str>,
    quality: &'static str,
    closer: &'static str,
    order: u64,
}

impl Style {
    fn new(rng: &mut Rng, name: &str) -> Style {
        let skeletons = (0..rng.range(2, 4))
            .map(|_| Skeleton {
                opener: rng_pick(rng, OPENERS),
                ident: rng_pick(rng, IDENTS),
                status: rng_pick(rng, STATUS),
                products: (0..rng.range(1, 3)).map(|_| *rng.pick(PRODUCTS)).collect(),
                offers: (0..rng.range(1, 3)).map(|_| *rng.pick(OFFERS)).collect(),
                quality: if rng.chance(0.6) {
                    rng_pick(rng, QUALITY)
                } else {
                    ""
                },
                closer: rng_pick(rng, CLOSERS),
                order: rng.below(4),
            })
            .collect();
        Style {
            name: name.to_string(),
            skeletons,
            decor: (0..3).map(|_| *rng.pick(DECOR)).collect(),
            upper: rng.chance(0.15),
        }
    }

    /// One advert text (the same text goes to every recipient of a burst).
    fn advert(&self, rng: &mut Rng) -> String {
        let sk = rng.pick(&self.skeletons);
        let mut goods: Vec<String> = sk
            .products
            .iter()
            .zip(sk.offers.iter().cycle())
            .map(|(p, o)| {
                let offer = fill(rng, o, &self.name, "", "");
                if rng.chance(0.5) {
                    format!("{p} {offer}")
                } else {
                    format!("{offer} {p}")
                }
            })
            .collect();
        if rng.chance(0.3) {
            goods.reverse(); // swapped offers
        }
        let ident = fill(rng, sk.ident, &self.name, "", "");
        let status = fill(rng, sk.status, &self.name, "", "");
        let sep = if rng.chance(0.5) { ", " } else { " " };
        let parts: Vec<String> = match sk.order {
            0 => vec![ident, status, goods.join(sep)],
            1 => vec![status, goods.join(sep), ident],
            2 => vec![ident, goods.join(sep), status],
            _ => vec![goods.join(sep), status, ident],
        };
        let mut s = String::new();
        if !sk.opener.is_empty() {
            s.push_str(sk.opener);
            s.push(' ');
        }
        s.push_str(&parts.join(if rng.chance(0.5) { " " } else { " - " }));
        if !sk.quality.is_empty() && rng.chance(0.7) {
            s.push(' ');
            s.push_str(sk.quality);
        }
        if !sk.closer.is_empty() {
            s.push(' ');
            s.push_str(sk.closer);
        }
        for d in &self.decor {
            if rng.chance(0.4) {
                s.push_str(d);
            }
        }
        if rng.chance(0.15) {
            s = typo(rng, &s);
        }
        if self.upper {
            s = s.to_uppercase();
        }
        s
    }
}

fn day_ms(cfg: &Config, d: i64) -> i64 {
    cfg.start_ms + d * DAY
}

/// Build the scenario.
pub fn build(cfg: &Config) -> Scenario {
    let mut rng = Rng::new(cfg.seed);
    let mut b = Builder {
        rng: rng.fork(1),
        handsets: Vec::new(),
        owners: HashMap::new(),
        labels: Vec::new(),
        copies: 0,
    };
    let end_ms = day_ms(cfg, cfg.days + 2);
    let mut next_line_no = LINE_BASE;
    let mut next_friend = FRIEND_BASE;
    let mut lines_out: Vec<TrueLine> = Vec::new();
    let mut links: Vec<TrueLink> = Vec::new();
    let customer_pool: Vec<String> = (CUSTOMER_BASE..1000).map(drama_mobile).collect();

    // ---- plan the lines ----
    struct LinePlan {
        app: GApp,
        style: Style,
        numbers: Vec<String>,
        /// Start day of each number's segment, plus the end day.
        bounds: Vec<i64>,
        customers: Vec<Vec<String>>,
        seized: bool,
        police: u64,
        runner: Option<String>,
    }
    let mut plans: Vec<LinePlan> = Vec::new();
    let mut lrng = rng.fork(2);
    for li in 0..cfg.lines {
        let name = LINE_NAMES[li % LINE_NAMES.len()].to_string();
        let style = Style::new(&mut lrng, &name);
        let app = match lrng.below(10) {
            0..=5 => GApp::Sms,
            6 | 7 => GApp::WhatsApp,
            8 => GApp::Rcs,
            _ => GApp::Mms,
        };
        let changes = if cfg.lines == 1 {
            cfg.max_changes
        } else {
            lrng.below(cfg.max_changes as u64 + 1) as usize
        };
        let numbers: Vec<String> = (0..=changes)
            .map(|_| {
                let n = drama_mobile(next_line_no.min(99));
                next_line_no += 1;
                n
            })
            .collect();
        let start = lrng.range(0, 6);
        let end = cfg.days - lrng.range(0, 4);
        let mut bounds = vec![start];
        for i in 1..=changes {
            let base = start + (end - start) * i as i64 / (changes as i64 + 1);
            bounds.push(base + lrng.range(-3, 4));
        }
        bounds.push(end);
        let c = lrng.range(cfg.customers.0 as i64, cfg.customers.1 as i64 + 1) as usize;
        let mut base: Vec<String> = Vec::new();
        let mut taken = BTreeSet::new();
        while base.len() < c.min(customer_pool.len()) {
            let n = lrng.pick(&customer_pool).clone();
            if taken.insert(n.clone()) {
                base.push(n);
            }
        }
        let mut customers = vec![base.clone()];
        for _ in 0..changes {
            let prev = customers.last().unwrap().clone();
            let mut next: Vec<String> = prev.into_iter().filter(|_| lrng.chance(0.85)).collect();
            for _ in 0..(c / 10) {
                let n = lrng.pick(&customer_pool).clone();
                if !next.contains(&n) {
                    next.push(n);
                }
            }
            customers.push(next);
        }
        let seized = lrng.chance(cfg.seized_line_share) || cfg.lines == 1;
        let police = lrng.below(3);
        plans.push(LinePlan {
            app,
            style,
            numbers: numbers.clone(),
            bounds,
            customers,
            seized,
            police,
            runner: None,
        });
        for w in numbers.windows(2) {
            links.push(TrueLink {
                from: w[0].clone(),
                to: w[1].clone(),
                kind: "number_change",
            });
        }
        lines_out.push(TrueLine {
            name,
            numbers,
            phone_seized: seized,
        });
    }

    // ---- seize the phones ----
    // Line phones.
    for (li, p) in plans.iter().enumerate() {
        if !p.seized {
            continue;
        }
        let k = p.numbers.len();
        let last = &p.numbers[k - 1];
        let seg_from = day_ms(cfg, p.bounds[k - 1]);
        let seg_to = day_ms(cfg, p.bounds[k]) + DAY;
        let variant = if k == 1 {
            0
        } else if cfg.lines == 1 {
            2
        } else {
            li % 3
        };
        let label = format!("LINE-{:02}", li + 1);
        let mut h = Handset::new(&label, Os::Android, Layout::CellebriteAndroidZip, last);
        match variant {
            // Dual SIM: the old SIM stays in the phone for the whole period.
            2 => {
                let old = &p.numbers[k - 2];
                h.owner_numbers.push(old.clone());
                let old_from = day_ms(cfg, p.bounds[k - 2]);
                b.add_handset(
                    h,
                    &[
                        (last.clone(), seg_from, seg_to),
                        (old.clone(), old_from, seg_to),
                    ],
                );
                links.push(TrueLink {
                    from: old.clone(),
                    to: last.clone(),
                    kind: "same_handset",
                });
            }
            1 => {
                b.add_handset(h, &[(last.clone(), seg_from, seg_to)]);
                // The previous phone was found too.
                let old = &p.numbers[k - 2];
                let h2 = Handset::new(
                    &format!("LINE-{:02}B", li + 1),
                    Os::Android,
                    Layout::Tar,
                    old,
                );
                b.add_handset(
                    h2,
                    &[(
                        old.clone(),
                        day_ms(cfg, p.bounds[k - 2]),
                        day_ms(cfg, p.bounds[k - 1]) + DAY,
                    )],
                );
            }
            _ => {
                b.add_handset(h, &[(last.clone(), seg_from, seg_to)]);
            }
        }
    }
    // Runners.
    for r in 0..cfg.runner_exhibits.min(plans.len().max(1)) {
        if plans.is_empty() {
            break;
        }
        let li = r % plans.len();
        let num = drama_mobile(next_friend);
        next_friend += 1;
        plans[li].runner = Some(num.clone());
        let h = Handset::new(
            &format!("RUN-{:02}", r + 1),
            Os::Ios,
            Layout::CellebriteIosZip,
            &num,
        );
        b.add_handset(h, &[(num, 0, i64::MAX)]);
    }
    // Customers: drawn from the lines' customer lists.
    let mut seized_customers: BTreeSet<String> = BTreeSet::new();
    let mut crng = rng.fork(3);
    let mut tries = 0;
    while seized_customers.len() < cfg.customer_exhibits && tries < 100_000 && !plans.is_empty() {
        tries += 1;
        let p = &plans[crng.below(plans.len() as u64) as usize];
        let n = crng.pick(&p.customers[0]).clone();
        if seized_customers.insert(n.clone()) {
            let i = seized_customers.len();
            let (os, layout) = if crng.chance(0.5) {
                (Os::Android, Layout::MagnetZip)
            } else {
                (Os::Ios, Layout::CellebriteIosZip)
            };
            let h = Handset::new(&format!("CUST-{i:02}"), os, layout, &n);
            b.add_handset(h, &[(n, 0, i64::MAX)]);
        }
    }

    // ---- benign senders ----
    struct BenignPlan {
        neg: Neg,
        from: Vec<String>,
        recipients: Vec<String>,
        seized: bool,
    }
    let mut benign: Vec<BenignPlan> = Vec::new();
    if cfg.benign {
        let mut brng = rng.fork(4);
        let list = |rng: &mut Rng, n: usize| -> Vec<String> {
            let mut set = BTreeSet::new();
            // Seized customers are on most lists, so their phones see the texts.
            for c in &seized_customers {
                if rng.chance(0.5) {
                    set.insert(c.clone());
                }
            }
            while set.len() < n {
                set.insert(drama_mobile(rng.range(FRIEND_BASE as i64, 1000) as u32));
            }
            set.into_iter().collect()
        };
        let mut bn = BENIGN_BASE;
        let mut next = || {
            bn += 1;
            drama_mobile(bn - 1)
        };
        let specs: [(Neg, usize, usize, bool); 10] = [
            (Neg::Takeaway, 1, 150, true),
            (Neg::PubQuiz, 1, 60, false),
            (Neg::WindowCleaner, 2, 80, true),
            (Neg::Minicab, 2, 120, true),
            (Neg::Eggs, 1, 40, false),
            (Neg::ParentsGroup, 1, 30, false),
            (Neg::FamilyNewYear, 1, 35, false),
            (Neg::ChurchShelter, 1, 50, false),
            (Neg::Smishing, 5, 200, false),
            (Neg::ShopPromo, 0, 0, false),
        ];
        for (neg, nfrom, nrec, seized) in specs {
            let from: Vec<String> = (0..nfrom).map(|_| next()).collect();
            let recipients = list(&mut brng, nrec);
            benign.push(BenignPlan {
                neg,
                from,
                recipients,
                seized,
            });
        }
        for (i, bp) in benign.iter().enumerate() {
            if bp.seized {
                let n = bp.from.last().unwrap().clone();
                let h = Handset::new(&format!("BIZ-{:02}", i + 1), Os::Android, Layout::TarGz, &n);
                b.add_handset(h, &[(n, 0, i64::MAX)]);
            }
        }
    }

    // ---- line traffic ----
    let mut trng = rng.fork(5);
    for p in &plans {
        let k = p.numbers.len();
        for seg in 0..k {
            let num = &p.numbers[seg];
            let custs = &p.customers[seg];
            let (d0, d1) = (p.bounds[seg], p.bounds[seg + 1]);
            // Number change: announcements from the new number to the previous customers.
            if seg > 0 {
                let prev = &p.numbers[seg - 1];
                let prev_custs = &p.customers[seg - 1];
                if trng.chance(0.4) {
                    // The old number names the new one the day before.
                    let body = fill(
                        &mut trng,
                        trng_pick(CHANGE_OLD, seg),
                        &p.style.name,
                        prev,
                        num,
                    );
                    let mut ts = day_ms(cfg, d0 - 1) + 18 * HOUR + trng.range(0, 60) * MIN;
                    for c in prev_custs {
                        b.send(
                            p.app,
                            prev,
                            std::slice::from_ref(c),
                            ts,
                            &body,
                            Label::NumberChange,
                        );
                        ts += trng.range(1000, 5000);
                    }
                }
                let waves = 1 + trng.below(2);
                for w in 0..waves {
                    let body = fill(
                        &mut trng,
                        trng_pick(CHANGE_NEW, (seg * 7 + w as usize) ^ p.numbers.len()),
                        &p.style.name,
                        &uk_style(prev, 2),
                        "",
                    );
                    let body = if trng.chance(0.2) {
                        typo(&mut trng, &body)
                    } else {
                        body
                    };
                    let mut ts = day_ms(cfg, d0 + w as i64) + (10 + trng.range(0, 8)) * HOUR;
                    for c in prev_custs
                        .iter()
                        .chain(custs.iter().filter(|c| !prev_custs.contains(c)))
                    {
                        if w > 0 && trng.chance(0.3) {
                            continue;
                        }
                        b.send(
                            p.app,
                            num,
                            std::slice::from_ref(c),
                            ts,
                            &body,
                            Label::NumberChange,
                        );
                        ts += trng.range(1000, 5000);
                    }
                }
            }
            for d in d0..d1 {
                let nb = trng.range(cfg.bursts_per_day.0 as i64, cfg.bursts_per_day.1 as i64 + 1);
                let mut hours: Vec<i64> = (0..nb).map(|_| trng.range(9, 24)).collect();
                hours.sort();
                for h in hours {
                    let body = p.style.advert(&mut trng);
                    let mut ts = day_ms(cfg, d) + h * HOUR + trng.range(0, 50) * MIN;
                    let targets: Vec<String> = custs
                        .iter()
                        .filter(|_| trng.chance(0.75))
                        .cloned()
                        .collect();
                    if p.app == GApp::Mms {
                        for chunk in targets.chunks(8) {
                            b.send(p.app, num, chunk, ts, &body, Label::Marketing);
                            ts += trng.range(2000, 8000);
                        }
                    } else {
                        for c in &targets {
                            b.send(
                                p.app,
                                num,
                                std::slice::from_ref(c),
                                ts,
                                &body,
                                Label::Marketing,
                            );
                            ts += trng.range(800, 6000);
                        }
                    }
                }
                // Orders and replies.
                let chat_app = if p.app == GApp::WhatsApp {
                    GApp::WhatsApp
                } else {
                    GApp::Sms
                };
                for c in custs {
                    if !trng.chance(0.12) {
                        continue;
                    }
                    let ts = day_ms(cfg, d) + trng.range(10 * 60, 24 * 60) * MIN;
                    let oi = trng.below(1000) as usize;
                    let o = fill(&mut trng, trng_pick(ORDERS, oi), "", "", "");
                    b.send(chat_app, c, std::slice::from_ref(num), ts, &o, Label::Deal);
                    let r = *trng.pick(REPLIES);
                    b.send(
                        chat_app,
                        num,
                        std::slice::from_ref(c),
                        ts + trng.range(30_000, 600_000),
                        r,
                        Label::Deal,
                    );
                }
                if let Some(run) = &p.runner {
                    for _ in 0..trng.range(1, 4) {
                        let ts = day_ms(cfg, d) + trng.range(9 * 60, 23 * 60) * MIN;
                        let ai = trng.below(100) as usize;
                        let a = fill(&mut trng, trng_pick(RUNNER, ai), "", "", "");
                        b.send(
                            GApp::WhatsApp,
                            num,
                            std::slice::from_ref(run),
                            ts,
                            &a,
                            Label::Deal,
                        );
                        let ri = trng.below(100) as usize;
                        let r = fill(&mut trng, trng_pick(RUNNER_BACK, ri), "", "", "");
                        b.send(
                            GApp::WhatsApp,
                            run,
                            std::slice::from_ref(num),
                            ts + 120_000,
                            &r,
                            Label::Deal,
                        );
                    }
                }
            }
        }
        // Police warning to every customer of the seized line.
        if p.seized && p.police < 2 {
            let last = &p.numbers[k - 1];
            let from = if p.police == 0 {
                last.clone()
            } else {
                "WYPolice".to_string()
            };
            let body = trng.pick(POLICE).to_string();
            let mut ts = day_ms(cfg, p.bounds[k] + 1) + 11 * HOUR;
            for c in &p.customers[k - 1] {
                b.send(
                    GApp::Sms,
                    &from,
                    std::slice::from_ref(c),
                    ts,
                    &body,
                    Label::Benign(Neg::PoliceWarning),
                );
                ts += trng.range(500, 3000);
            }
        }
    }

    // ---- benign traffic ----
    let mut grng = rng.fork(6);
    for bp in &benign {
        let label = Label::Benign(bp.neg);
        let burst = |b: &mut Builder,
                     rng: &mut Rng,
                     from: &str,
                     day: i64,
                     hour: i64,
                     bank: &[&str],
                     app: GApp| {
            let tpl = rng_pick(rng, bank);
            let body = fill(rng, tpl, "", "", "");
            let mut ts = day_ms(cfg, day) + hour * HOUR + rng.range(0, 30) * MIN;
            for r in &bp.recipients {
                b.send(app, from, std::slice::from_ref(r), ts, &body, label);
                ts += rng.range(1000, 4000);
            }
        };
        match bp.neg {
            Neg::Takeaway => {
                for d in (4..cfg.days).step_by(7) {
                    burst(&mut b, &mut grng, &bp.from[0], d, 16, TAKEAWAY, GApp::Sms);
                }
            }
            Neg::PubQuiz => {
                for d in (2..cfg.days).step_by(7) {
                    burst(
                        &mut b,
                        &mut grng,
                        &bp.from[0],
                        d,
                        12,
                        PUB_QUIZ,
                        GApp::WhatsApp,
                    );
                }
            }
            Neg::Eggs => {
                for d in (1..cfg.days).step_by(7) {
                    burst(&mut b, &mut grng, &bp.from[0], d, 8, EGGS, GApp::Sms);
                }
            }
            Neg::ParentsGroup => {
                for d in (0..cfg.days).step_by(5) {
                    burst(
                        &mut b,
                        &mut grng,
                        &bp.from[0],
                        d,
                        19,
                        PARENTS,
                        GApp::WhatsApp,
                    );
                }
            }
            Neg::FamilyNewYear => {
                // 2026-01-01 is day 61 from START_MS; otherwise the last day.
                let d = if cfg.days > 61 { 61 } else { cfg.days - 1 };
                burst(
                    &mut b,
                    &mut grng,
                    &bp.from[0],
                    d,
                    0,
                    NEW_YEAR,
                    GApp::WhatsApp,
                );
            }
            Neg::ChurchShelter => {
                let d0 = (cfg.days / 2).max(1);
                for d in d0..(d0 + 10).min(cfg.days) {
                    burst(&mut b, &mut grng, &bp.from[0], d, 17, CHURCH, GApp::Sms);
                }
            }
            Neg::WindowCleaner | Neg::Minicab => {
                let (change, promo) = if bp.neg == Neg::WindowCleaner {
                    (WINDOW_CLEANER, WINDOW_ROUND)
                } else {
                    (MINICAB, MINICAB_PROMO)
                };
                let cd = cfg.days / 3;
                for d in (3..cfg.days).step_by(14) {
                    let from = if d < cd { &bp.from[0] } else { &bp.from[1] };
                    burst(&mut b, &mut grng, from, d, 9, promo, GApp::Sms);
                }
                burst(&mut b, &mut grng, &bp.from[1], cd, 10, change, GApp::Sms);
            }
            Neg::Smishing => {
                for f in &bp.from {
                    let d = grng.range(0, cfg.days);
                    let body = grng.pick(SMISHING).to_string();
                    let body = fill(&mut grng, &body, "", "", "");
                    let mut ts = day_ms(cfg, d) + grng.range(8, 22) * HOUR;
                    for r in &bp.recipients {
                        if grng.chance(0.6) {
                            b.send(GApp::Sms, f, std::slice::from_ref(r), ts, &body, label);
                            ts += grng.range(200, 2000);
                        }
                    }
                }
            }
            Neg::PoliceWarning => {}
            Neg::ShopPromo => {
                // Alphanumeric senders and short codes to every seized phone.
                let senders = ["SHOPMART", "GymCo", "NHS", "DPD", "60000"];
                let owners: Vec<String> =
                    b.handsets.iter().map(|h| h.owner().to_string()).collect();
                for d in 0..cfg.days {
                    for (si, s) in senders.iter().enumerate() {
                        if !grng.chance(0.3) {
                            continue;
                        }
                        let body = fill(
                            &mut grng,
                            SHOP_PROMO[(si + d as usize) % SHOP_PROMO.len()],
                            "",
                            "",
                            "",
                        );
                        let mut ts = day_ms(cfg, d) + grng.range(8, 20) * HOUR;
                        for o in &owners {
                            if grng.chance(0.7) {
                                b.send(GApp::Sms, s, std::slice::from_ref(o), ts, &body, label);
                                ts += 1000;
                            }
                        }
                    }
                }
            }
        }
    }

    // ---- chat among friends ----
    let mut frng = rng.fork(7);
    let n_handsets = b.handsets.len();
    let friends: Vec<Vec<String>> = (0..n_handsets)
        .map(|_| {
            (0..frng.range(5, 15))
                .map(|_| drama_mobile(frng.range(FRIEND_BASE as i64 + 20, 300) as u32))
                .collect()
        })
        .collect();
    // With a target, a second pass makes up for chat that fell outside a handset's window.
    let passes = if cfg.target_messages.is_some() { 2 } else { 1 };
    for _pass in 0..passes {
        let mut per_day = cfg.chat_per_day;
        if let Some(t) = cfg.target_messages {
            let left = t.saturating_sub(b.copies) as f64;
            per_day = left / (n_handsets.max(1) as f64 * cfg.days.max(1) as f64);
        }
        for (h, my_friends) in friends.iter().enumerate() {
            let me = b.handsets[h].owner().to_string();
            let mut acc = 0.0;
            for d in 0..cfg.days {
                acc += per_day;
                while acc >= 1.0 {
                    acc -= 1.0;
                    let f = frng.pick(my_friends).clone();
                    let mut body = format!(
                        "{} {}{}",
                        frng.pick(CHAT_A),
                        frng.pick(CHAT_B),
                        frng.pick(CHAT_C)
                    );
                    if frng.chance(0.3) {
                        body.push(' ');
                        body.push_str(rng_pick(&mut frng, FIRST_NAMES));
                    }
                    let body = fill(&mut frng, body.trim(), "", "", "");
                    let ts = day_ms(cfg, d) + frng.range(7 * 60, 24 * 60) * MIN;
                    let app = if frng.chance(0.5) {
                        GApp::WhatsApp
                    } else {
                        GApp::Sms
                    };
                    if frng.chance(0.5) {
                        b.send(app, &me, std::slice::from_ref(&f), ts, &body, Label::Chat);
                    } else {
                        b.send(app, &f, std::slice::from_ref(&me), ts, &body, Label::Chat);
                    }
                }
            }
        }
    }
    let _ = end_ms;

    for h in &mut b.handsets {
        h.messages.sort_by_key(|m| (m.ts_ms, m.key));
    }
    Scenario {
        world: World {
            handsets: b.handsets,
        },
        labels: Labels {
            by_key: b.labels,
            lines: lines_out,
            links,
        },
    }
}

fn trng_pick(bank: &'static [&'static str], i: usize) -> &'static str {
    bank[i % bank.len()]
}

fn rng_pick<'a>(rng: &mut Rng, bank: &'a [&'a str]) -> &'a str {
    bank[rng.below(bank.len() as u64) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_labelled() {
        let a = build(&Config::demo());
        let b = build(&Config::demo());
        assert_eq!(a.world, b.world);
        assert!(a.world.handsets.len() >= 6);
        let marketing = a
            .labels
            .by_key
            .iter()
            .filter(|l| **l == Label::Marketing)
            .count();
        assert!(marketing > 100, "{marketing}");
        assert!(a.labels.by_key.contains(&Label::NumberChange));
        assert_eq!(a.labels.lines.len(), 1);
        assert_eq!(a.labels.lines[0].numbers.len(), 2);
        for h in &a.world.handsets {
            for m in &h.messages {
                assert!(m.peer.starts_with("+447700900") || !m.peer.starts_with('+'));
            }
        }
    }
}
