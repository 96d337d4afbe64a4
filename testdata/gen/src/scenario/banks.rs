//! Phrase banks for the deal-line scenario.
//!
//! Written independently of the detector's rules file (`rules/dealline.toml`): they carry
//! spelling variants, slang and phrasing the rules do not list, reordered offers, typos and emoji,
//! so that the evaluation measures the detector's structure (fan-out, bursts, cadence, templates)
//! and not its word lists replayed back at it. Placeholders: `{name}` line name, `{n}`/`{m}`
//! quantities, `{p}`/`{q}` prices, `{h}` an hour, `{new}`/`{old}` a phone number as written.

/// Advert openers (may be empty).
pub const OPENERS: &[&str] = &[
    "",
    "",
    "🚨",
    "🔥🔥",
    "💥 ",
    "‼️",
    "ALERT",
    "wagwan fam",
    "yo yo",
    "morning all",
    "evening peeps",
    "GM",
    "📣📣",
    "Good evening",
    "oi oi",
    "listen up",
    "rise n grind",
    "new day new deals",
];

/// How a line names itself.
pub const IDENTS: &[&str] = &[
    "{name} line",
    "{name} here",
    "its {name}",
    "{name}s ting",
    "the {name} line",
    "{name} 💯",
    "{NAME} LINE",
    "{name} on the phone",
    "ur boy {name}",
    "{name} ☎️",
];

/// Availability / status phrases.
pub const STATUS: &[&str] = &[
    "both on",
    "on till {h}",
    "on till late",
    "active now",
    "up n running",
    "open for biz",
    "live now",
    "servin all day",
    "about in car",
    "on ur doorstep in 20",
    "out n about",
    "runnin till {h}am",
    "grafting all nite",
    "open 24/7",
    "awake n active",
    "back on it",
    "online now",
    "b+w on",
    "both active",
    "workin till {h}",
    "movin all nite",
    "pullin up quick",
    "drivers out",
    "up n about till {h}",
];

/// Products: slang for crack/heroin/cocaine/cannabis, some common, many not.
pub const PRODUCTS: &[&str] = &[
    "white",
    "dark",
    "light n dark",
    "food",
    "b n w",
    "bnw",
    "snow",
    "pebbles",
    "rock",
    "boy n girl",
    "brown",
    "shots",
    "bags",
    "flake",
    "peng",
    "cali",
    "gas",
    "lemon haze",
    "ting",
    "stones",
    "grub",
    "sniff",
    "cheffy",
    "chang",
    "bits",
    "onions",
    "nuggets",
    "bright n dull",
    "sunny n shady",
    "❄️",
    "🍫",
    "⛄ n 🟤",
    "charlie",
    "jelly",
    "wight",
    "drk",
];

/// Offers with quantity/price placeholders.
pub const OFFERS: &[&str] = &[
    "{n} for {p}",
    "{n} 4 {p}",
    "{n}-{p}",
    "{n} for £{p}",
    "{n}/{p}",
    "{n}x £{p}",
    "£{q} {prod}",
    "deals {n}-{p}",
    "buy {n} get 1 free",
    "1 for {q} {n} for {p}",
    "tens n twenties",
    "halfs n ones",
    "£{q} bags",
    "{n} for {p} or {m} for {q}",
    "{n}@{p}",
    "{n} fr {p}",
    "specials {n} 4 {p}",
];

/// Quality boasts.
pub const QUALITY: &[&str] = &[
    "proper peng",
    "best in town",
    "fire",
    "top tier",
    "mad quality",
    "no messin",
    "🔥🔥",
    "same as last week",
    "fresh batch",
    "new stock in",
    "strongest about",
    "u know the vibes",
    "no mix",
    "straight off the boat",
];

/// Closers.
pub const CLOSERS: &[&str] = &[
    "hmu",
    "txt me",
    "call 4 deets",
    "bell me",
    "ring ring",
    "dont sleep",
    "first come",
    "limited",
    "🚗💨",
    "👀",
    "💯",
    "x",
    "holla",
    "msg for drop",
    "quick ting",
    "",
];

/// Emoji a line decorates with.
pub const DECOR: &[&str] = &[
    "🔥", "💯", "🚗", "💨", "👌", "✅", "⚡", "🌙", "💥", "🙌", "😎", "🍾", "🤑", "📞",
];

/// Line names.
pub const LINE_NAMES: &[&str] = &[
    "Tony", "T", "Kash", "Bolt", "Jay", "Benz", "Ruby", "Tiger", "Max", "Zed", "Rico", "Blue",
    "Dex", "Milo", "Ace", "Kilo", "Nova", "Frosty", "Gucci", "Ozzy", "Sonic", "Taz", "Viper",
    "Wolf",
];

/// Number-change announcements sent from the new number (no number named).
pub const CHANGE_NEW: &[&str] = &[
    "new number {name} line save this one",
    "this is the new {name} number, same service",
    "{name} here new digits, delete the old one",
    "switched phones, this is me now ✅ same ting",
    "old phone gone, use this 1 from now",
    "lock this in, new number, old one dead",
    "new no. same line 💯 both on",
    "saved? this is the new tone, {name}",
    "changed number, {old} is dead now, this is {name}",
    "{name} line has moved to this number 📲",
    "binned the old 1, this is the new line",
    "got a new phone, save me, same prices",
    "NEW NUMBER!! {name} line, save it, same quality",
    "new numbr ✅ save dis 1 its {name}",
    "dont use the old one no more, its this now, {name}",
];

/// Number-change messages sent from the old number naming the new one.
pub const CHANGE_OLD: &[&str] = &[
    "switching number, text {new} from now",
    "this phones going off, new one is {new}",
    "{name} moving to {new}, save it, this one dies 2nite",
    "use {new} from 2moro, same line",
];

/// Customer order messages to a line.
pub const ORDERS: &[&str] = &[
    "u about?",
    "u on?",
    "need {n} mate",
    "can I get 1 w",
    "outside",
    "where r u",
    "5 mins?",
    "cheers",
    "can u do {n} for {p}",
    "bro u on",
    "same again",
    "at the shop",
    "u still up",
    "need sorting",
    "can u drop at mine",
    "how long",
    "{n} of each pls",
    "u got any left",
];

/// A line's 1:1 replies to customers.
pub const REPLIES: &[&str] = &[
    "yh on",
    "10 mins",
    "where u",
    "omw",
    "outside now",
    "ok",
    "be there 15",
    "usual spot",
    "bring cash",
    "come to the back",
    "gimme 20",
    "yh",
    "sorted",
    "2 mins",
];

/// Line to runner instructions.
pub const RUNNER: &[&str] = &[
    "drop {n} at the usual",
    "pick up from Deano",
    "go to the park bench",
    "collect {p}0 from K",
    "how many left?",
    "top up tmrw",
    "stay on the phone",
    "car outside in 5",
    "dont go near the flats",
    "count it twice",
];

/// Runner to line.
pub const RUNNER_BACK: &[&str] = &[
    "done",
    "{n} left",
    "need more",
    "on it",
    "feds about",
    "got the cash",
    "where next",
];

/// Friends and family chat, first part.
pub const CHAT_A: &[&str] = &[
    "hey",
    "hiya",
    "alright",
    "morning",
    "oi",
    "hello love",
    "hi hun",
    "yo",
    "sorry",
    "lol",
    "omg",
    "right",
    "ok so",
    "",
];
/// Friends and family chat, middle part.
pub const CHAT_B: &[&str] = &[
    "you coming tonight",
    "did you see the match",
    "what time is tea",
    "can you pick up milk",
    "running late",
    "call me when free",
    "happy birthday",
    "thanks for today",
    "see you at {h}",
    "is the bus running",
    "mum says hi",
    "where did you park",
    "can you lend me {p} quid",
    "the kids are asleep",
    "we're at the chippy",
    "left my charger at yours",
    "what's the wifi password",
    "have you fed the dog",
    "the boiler's gone again",
    "are we still on for saturday",
    "did you get my message",
    "I'm outside",
    "that film was rubbish",
    "can't believe it",
    "work was mad today",
    "need anything from tesco",
    "gym at {h}?",
    "my phone's on {n} percent",
];
/// Friends and family chat, last part.
pub const CHAT_C: &[&str] = &[
    "", "", "x", "xx", "?", "!!", " 😂", " ❤️", " lol", " haha", " mate", " babe", " pls", " ta",
];
/// First names used in chat tails.
pub const FIRST_NAMES: &[&str] = &[
    "Sam", "Jo", "Chris", "Alex", "Leah", "Nat", "Kerry", "Dan", "Mo", "Priya", "Tom", "Jade",
];

// ---- benign bulk and hard negatives ----

pub const TAKEAWAY: &[&str] = &[
    "🍕 FRIDAY DEAL: 2 pizzas for £{p} at Luigi's, open till 11, order on 0113 496 0123",
    "2 large pizzas 4 {p}, free garlic bread tonight 🍕",
    "Kebab Hut: any 2 wraps for {q} + free chips, open til 2am",
    "curry night: 2 mains for {p}, collection only, ring 0113 496 0124",
    "Dragon Palace: banquet for 2 only £{p}! order now",
    "Chippy special: fish n chips x2 for £{q}, open late",
    "2 margheritas for {p} tonight only, delivery 30 mins",
];
pub const PUB_QUIZ: &[&str] = &[
    "Quiz night back on Thursday! 2 for 1 pints till 9",
    "The Red Lion: quiz thurs 8pm, teams of 6, 2-4-1 on cocktails",
    "Quiz + karaoke this Thursday 🎤 happy hour 5-7, see you there",
    "Pub quiz is back on thurs, £{n} a team, jackpot {p}0 quid",
    "Red Lion quiz tomorrow, doors 7.30, 2 for 1 on house wine",
];
pub const WINDOW_CLEANER: &[&str] = &[
    "Hi it's Dave the window cleaner, new number, save it please",
    "Dave's windows: I've changed my number, this is the new one. Next round Tuesday",
    "Hi all, Gaz (windows/gutters) new mob number, save it 👍",
];
pub const WINDOW_ROUND: &[&str] = &[
    "Dave's windows: round on your street Tuesday, £{q} as usual",
    "Windows done today, pay when convenient, thanks Dave",
];
pub const MINICAB: &[&str] = &[
    "Ace Cars: our new number, save it for bookings 24/7",
    "A1 Taxis has a new number! Save this one, airport runs from £{p}",
    "Star cabs new booking line, save this number, we're on all night",
];
pub const MINICAB_PROMO: &[&str] = &[
    "Ace Cars: 10% off airport runs this month, book on this number",
    "Star cabs: drivers available all night this weekend, book early",
];
pub const EGGS: &[&str] = &[
    "Fresh eggs 🥚 white or brown, £2 a half dozen at the gate",
    "Eggs back in! white or brown, 6 for £2 / 12 for £3.50",
    "Hens laying well, brown and white eggs available, knock at the farmhouse",
    "free range eggs, light n dark shells, 6 4 £2, honesty box open till 6",
];
pub const PARENTS: &[&str] = &[
    "Reminder: Year 4 trip tomorrow, packed lunch and coat please",
    "PTA reminder: cake sale Friday, bring donations by 9",
    "Don't forget non-uniform day Friday £1 for charity",
    "Reminder parents evening Thursday 4-7, book a slot",
    "Football club: training back on Saturday 10am, bring shin pads",
];
pub const NEW_YEAR: &[&str] = &[
    "Happy New Year everyone! Love from all of us xx 🎆",
    "Happy new year fam, all the best for 2026 ❤️",
    "HNY!! have a good one, see you all soon x",
];
pub const CHURCH: &[&str] = &[
    "St Mark's night shelter open all night tonight, hot soup and warm beds, all welcome",
    "Cold weather: church hall open all night, come in from 8pm",
    "Shelter open all night again, volunteers needed for the 2am shift",
    "St Mark's: doors open all nite, blankets and hot drinks, God bless",
];
pub const SMISHING: &[&str] = &[
    "Royal Mail: your parcel is held, pay the £1.45 fee at http://rm-redeliver.example/a{n}",
    "HMRC: you are due a tax refund of £264.50, claim at https://gov-refund.example",
    "Your bank card is locked, verify now at http://secure-check.example/{n}",
    "EVRI: we missed you, reschedule delivery here http://evri-track.example/x{n}",
    "Hi mum my phone broke, this is my new number, can you text me back x",
];
pub const POLICE: &[&str] = &[
    "This phone has been seized by West Yorkshire Police as part of an investigation into drug supply. If you need help with drug use contact Forward Leeds on 0113 496 0456",
    "POLICE NOTICE: the number you have been using to buy drugs has been shut down. Support is available: call 0113 496 0222",
    "This line is now closed. Police are acting against drug dealing in your area. Free confidential help: 0113 496 0333. Report anonymously to Crimestoppers",
];
pub const SHOP_PROMO: &[&str] = &[
    "SHOPMART: 3 for 2 on all snacks this week! Reply STOP to opt out",
    "SHOPMART: 2 for £{q} on pizzas, ends Sunday. STOP to 60000",
    "GymCo: classes back on Monday, book in the app",
    "Your code is {p}{q}{n}. Don't share it with anyone",
    "DPD: your parcel arrives today {h}:15-{h}:45",
    "NHS: your appointment is on {n}/03 at 10:40. Reply CANCEL to cancel",
];
