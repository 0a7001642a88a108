//! Field 9 of the driving licence: the categories the holder may drive, a `/`-separated list
//! (`AM/B/L`, `AM/A/B/BE/C1/C1E/L`). Pure functions, no models.
//!
//! A blurred photo loses a `/` (`AMA/B`) or reads it as the `A` it resembles next to a letter
//! (`C1EAL` for `C1E/L`). A reading is parsed with those slips allowed and each slip counted;
//! a list is kept only when it is made of real categories in an order a licence can print them
//! in. Several readings of the same field (the batch read and single-line re-reads) vote; a
//! category is never added that no reading shows.

use std::collections::BTreeMap;

/// The licence categories that exist (Directive 2006/126/EC plus the German national `L`, `T`
/// and the old moped class `M`).
pub const CATEGORIES: [&str; 18] = [
    "AM", "A1", "A2", "A", "B1", "B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE", "L",
    "T", "M",
];

/// The most slips one reading may carry and still be parsed.
pub const MAX_SLIPS: u32 = 2;

/// Pairs of categories a licence always prints in this order when it holds both (the lists
/// follow the directive's order; the position of `BE` and of the C/D trailer classes differs
/// between card editions, so they are left free against each other).
const CHAINS: [&[&str]; 9] = [
    &["AM", "A1", "A2", "A"],
    &["B1", "B", "BE"],
    &["C1", "C1E", "CE"],
    &["C1", "C", "CE"],
    &["D1", "D1E", "DE"],
    &["D1", "D", "DE"],
    &["B1", "C1"],
    &["B", "C1"],
    &["B", "D1"],
];

/// The family a category belongs to, for the order rules between families: motorcycles (`A…`)
/// first, national classes (`L`, `T`, `M`) last.
fn family(category: &str) -> u8 {
    match category {
        "AM" | "A1" | "A2" | "A" => 0,
        "L" | "T" | "M" => 2,
        _ => 1,
    }
}

/// Whether a licence that holds both prints `first` before `second`.
fn printed_before(first: &str, second: &str) -> bool {
    family(first) < family(second)
        || CHAINS.iter().any(|chain| {
            let at = |c: &str| chain.iter().position(|x| *x == c);
            matches!((at(first), at(second)), (Some(a), Some(b)) if a < b)
        })
}

/// Whether `list` could be printed in field 9: no category twice, none after one a licence
/// prints after it. (B before C1 and D1 is transitive through the chains only in part, so
/// every pair is checked.)
pub fn plausible_order(list: &[&str]) -> bool {
    list.iter().enumerate().all(|(i, a)| {
        list[i + 1..]
            .iter()
            .all(|b| a != b && !printed_before(b, a))
    })
}

/// The reading upper-cased, the separators OCR reads for `/` (`|`, `\`, `,`, `.`, spaces) made
/// `/`, runs of `/` collapsed and the ends trimmed.
fn normalised(text: &str) -> Vec<char> {
    let mut out: Vec<char> = Vec::new();
    for c in text.chars().flat_map(char::to_uppercase) {
        let c = match c {
            '|' | '\\' | ',' | '.' | ' ' => '/',
            c => c,
        };
        if !(c == '/' && out.last().is_none_or(|&last| last == '/')) {
            out.push(c);
        }
    }
    while out.last() == Some(&'/') {
        out.pop();
    }
    out
}

/// What reading `read` where `printed` is printed costs inside a category: 0 for the same
/// character or a slip that cannot be anything else there (`I` for `1`, `8` for a leading `B`),
/// 1 for `L` read for `1` (`L` is a category itself), `None` for a different character.
fn char_cost(printed: char, read: char, first: bool) -> Option<u32> {
    match (printed, read) {
        (p, r) if p == r => Some(0),
        ('1', 'I') => Some(0),
        ('B', '8') if first => Some(0),
        ('1', 'L') => Some(1),
        _ => None,
    }
}

/// Every category list the reading can be parsed into with at most [`MAX_SLIPS`] slips, each
/// with its fewest slips. A slip is a `/` not read, a `/` read as `A`, or `L` read for `1`.
pub fn parses(text: &str) -> BTreeMap<Vec<&'static str>, u32> {
    let chars = normalised(text);
    let mut found = BTreeMap::new();
    let mut list = Vec::new();
    walk(&chars, 0, false, 0, &mut list, &mut found);
    found
}

/// Depth-first parse from `pos`; `after_category` when a separator is expected next.
fn walk(
    chars: &[char],
    pos: usize,
    after_category: bool,
    cost: u32,
    list: &mut Vec<&'static str>,
    found: &mut BTreeMap<Vec<&'static str>, u32>,
) {
    if cost > MAX_SLIPS {
        return;
    }
    if pos == chars.len() {
        if after_category && !list.is_empty() {
            let best = found.entry(list.clone()).or_insert(cost);
            *best = (*best).min(cost);
        }
        return;
    }
    if after_category {
        match chars[pos] {
            '/' => walk(chars, pos + 1, false, cost, list, found),
            // A `/` read as `A`: never beside a `/` that was read, never at the end.
            'A' if chars.get(pos + 1).is_some_and(|&c| c != '/') => {
                walk(chars, pos + 1, false, cost + 1, list, found)
            }
            _ => {}
        }
        // A `/` not read at all.
        if chars[pos] != '/' {
            walk(chars, pos, false, cost + 1, list, found);
        }
        return;
    }
    for category in CATEGORIES {
        let Some(read) = chars.get(pos..pos + category.len()) else {
            continue;
        };
        let slips = category
            .chars()
            .zip(read)
            .enumerate()
            .map(|(i, (p, &r))| char_cost(p, r, i == 0))
            .sum::<Option<u32>>();
        let Some(slips) = slips else {
            continue;
        };
        list.push(category);
        if plausible_order(list) {
            walk(chars, pos + category.len(), true, cost + slips, list, found);
        }
        list.pop();
    }
}

/// The categories of a reading that needs no slip (`AM/B/L`, `AM/AI/B/L` with `I` for `1`),
/// joined by `/`; `None` otherwise. Used to recognise the row and the licence itself.
pub fn categories(text: &str) -> Option<String> {
    parses(text)
        .into_iter()
        .find(|(_, cost)| *cost == 0)
        .map(|(list, _)| list.join("/"))
}

/// The list that several readings of field 9 agree on best, and its total slips: every list
/// any reading parses into is charged, per reading, that reading's slips for it (or
/// `MAX_SLIPS + 1` when the reading does not give it); the cheapest list wins. `None` when no
/// reading parses or two different lists tie.
pub fn agreed_categories(readings: &[&str]) -> Option<(String, u32)> {
    let parsed: Vec<BTreeMap<Vec<&'static str>, u32>> =
        readings.iter().map(|text| parses(text)).collect();
    let mut totals: BTreeMap<&Vec<&'static str>, u32> = BTreeMap::new();
    for candidate in parsed.iter().flat_map(BTreeMap::keys) {
        let total = parsed
            .iter()
            .map(|p| p.get(candidate).copied().unwrap_or(MAX_SLIPS + 1))
            .sum();
        totals.insert(candidate, total);
    }
    let best = totals.values().copied().min()?;
    let mut winners = totals.into_iter().filter(|(_, total)| *total == best);
    let (list, _) = winners.next()?;
    winners.next().is_none().then(|| (list.join("/"), best))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_readings_parse_without_slips() {
        assert_eq!(categories("AM/B/L").as_deref(), Some("AM/B/L"));
        assert_eq!(categories("AM/AI/B/L").as_deref(), Some("AM/A1/B/L"));
        assert_eq!(
            categories("AM/A/B/BE/C1/C1E/L").as_deref(),
            Some("AM/A/B/BE/C1/C1E/L")
        );
        assert_eq!(categories("B").as_deref(), Some("B"));
        assert_eq!(categories("AM | B, L.").as_deref(), Some("AM/B/L"));
        assert_eq!(categories("Kreis Steinfurt"), None);
        assert_eq!(categories("MMM"), None);
    }

    #[test]
    fn order_rules_follow_the_directive() {
        assert!(plausible_order(&["AM", "A1", "B", "BE", "C1", "C1E", "L"]));
        // The directive's own order puts BE and the trailer classes after D.
        assert!(plausible_order(&[
            "B", "C1", "C", "D1", "D", "BE", "C1E", "CE"
        ]));
        assert!(!plausible_order(&["B", "A"]));
        assert!(!plausible_order(&["L", "B"]));
        assert!(!plausible_order(&["B", "B"]));
        assert!(!plausible_order(&["C1E", "C1"]));
    }

    #[test]
    fn a_lost_or_misread_slash_is_a_counted_slip() {
        // `/L` read as `AL` after `C1E`: C1E/A/L would print A after C1E, so the A is the `/`.
        let p = parses("AMA/B/BE/C1/C1EAL");
        assert_eq!(
            p.get(&vec!["AM", "A", "B", "BE", "C1", "C1E", "L"]),
            Some(&2)
        );
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(parses("AM/BAL").get(&vec!["AM", "B", "L"]), Some(&1));
        // `BL` is B/L with a lost slash or B1 with `L` for `1`: one slip either way.
        let p = parses("AM/BL");
        assert_eq!(p.get(&vec!["AM", "B", "L"]), Some(&1));
        assert_eq!(p.get(&vec!["AM", "B1"]), Some(&1));
        // A trailing A is not a slash (nothing follows it), and B/A is out of order.
        assert!(parses("AM/BA").is_empty());
        // Too many slips.
        assert!(parses("AMABBEC1C1EL").is_empty());
    }

    #[test]
    fn readings_vote_and_a_tie_gives_nothing() {
        // The photo of seed-7 de-dl-0002: the batch read and three re-reads.
        assert_eq!(
            agreed_categories(&["AM/BA", "AM/BA", "AM/BL", "AM/BAL"]),
            Some(("AM/B/L".to_string(), 3 + 3 + 1 + 1))
        );
        assert_eq!(
            agreed_categories(&["AMA/B/BE/C1/C1EAL", "AM/A/B/BE/C1/C1EAL"]),
            Some(("AM/A/B/BE/C1/C1E/L".to_string(), 3))
        );
        assert_eq!(agreed_categories(&["AM/BL"]), None);
        assert_eq!(agreed_categories(&["AM/BA", "WMMM"]), None);
        assert_eq!(
            agreed_categories(&["AM/B/L", "AM/BL"]),
            Some(("AM/B/L".to_string(), 1))
        );
    }
}
