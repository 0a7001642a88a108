//! Thailand's provinces (changwat) and their districts (amphoe / khet), to put back a place
//! name in an address read with a letter slip (`อ.ปากเคร็ด` → `อ.ปากเกร็ด`,
//! `จ.ขอนแถ่น` → `จ.ขอนแก่น`).
//!
//! The table `data/admin-areas.txt` (one line per province: `province|district|...`) is
//! derived from the npm package `thai-address-database` by `data/derive-admin-areas.sh`.
//! Only names that are one or two letters away from exactly one nearest name are changed; the
//! district is looked up among its own province's districts only.

use std::collections::HashMap;
use std::sync::OnceLock;

use kycd_plugin_api::text::{edit_distance_chars, nearest_unique};

/// Provinces, their districts and the districts' sub-districts.
struct AdminAreas {
    /// Province name → its districts.
    districts: HashMap<&'static str, Vec<&'static str>>,
    /// (province, district) → its sub-districts (tambon / khwaeng).
    sub_districts: HashMap<(&'static str, &'static str), Vec<&'static str>>,
    /// Province names, in file order.
    provinces: Vec<&'static str>,
}

fn areas() -> &'static AdminAreas {
    static AREAS: OnceLock<AdminAreas> = OnceLock::new();
    AREAS.get_or_init(|| {
        let mut areas = AdminAreas {
            districts: HashMap::new(),
            sub_districts: HashMap::new(),
            provinces: Vec::new(),
        };
        for line in include_str!("../data/admin-areas.txt").lines() {
            let mut parts = line.split('|');
            let Some(province) = parts.next().filter(|p| !p.is_empty()) else {
                continue;
            };
            areas.provinces.push(province);
            areas.districts.insert(province, parts.collect());
        }
        for line in include_str!("../data/sub-districts.txt").lines() {
            let mut parts = line.split('|');
            if let (Some(province), Some(district)) = (parts.next(), parts.next()) {
                areas
                    .sub_districts
                    .insert((province, district), parts.collect());
            }
        }
        areas
    })
}

/// Bangkok, whose address ends `แขวง… เขต… กรุงเทพมหานคร` instead of `ต.… อ.… จ.…`.
const BANGKOK: &str = "กรุงเทพมหานคร";

/// The name among `names` that `read` is a slip of: itself when listed, else the single
/// nearest name one letter away (two for names of eight letters or more).
fn snap<'n>(read: &str, names: &[&'n str]) -> Option<&'n str> {
    let allowed = if read.chars().count() >= 8 { 2 } else { 1 };
    nearest_unique(read, names.iter().copied(), str::to_string, |_| allowed)
}

/// The name among `names` nearest to `read` when it is at most `share` of the name's letters
/// away and strictly nearer than every other name: for a place in a short list known from the
/// rest of the address (a province's districts, a district's sub-districts), where the
/// recogniser's slips on the card's loopless face (ง/จ, ข/ช, ม/บ, ด/ต) are many but the
/// names are far apart.
fn snap_near<'n>(read: &str, names: &[&'n str], share: f32) -> Option<(&'n str, usize)> {
    let wanted: Vec<char> = read.chars().collect();
    let mut scored: Vec<(usize, &'n str)> = names
        .iter()
        .map(|n| {
            let name: Vec<char> = n.chars().collect();
            (edit_distance_chars(&wanted, &name), *n)
        })
        .collect();
    scored.sort();
    let (best, name) = *scored.first()?;
    let allowed = (share * name.chars().count() as f32).floor() as usize;
    let unique = scored.get(1).is_none_or(|next| next.0 > best);
    (best <= allowed.max(1) && unique).then_some((name, best))
}

/// A Thai address with its place names snapped to the official names: the province (`จ.`
/// word, or Bangkok's name, last), its district (`อ.` or `เขต`, the word before it) and that
/// district's sub-district (`ต.` or `แขวง`, the word before that). Each is snapped only once
/// the level above it is known, among that level's own names; a word too far from every name
/// is left as read.
pub fn snap_place_names(address: &str) -> String {
    let areas = areas();
    let mut words: Vec<String> = address.split_whitespace().map(str::to_string).collect();
    // An abbreviation's letter read apart from its dot (`อ .เมืองขอนแก่น`) joined again.
    // A stray copy of the letter before the abbreviation itself (`อ อ.เมืองเชียงใหม่`) dropped.
    for at in (1..words.len()).rev() {
        let letter = words[at - 1].as_str();
        if !matches!(letter, "ต" | "อ" | "จ") {
            continue;
        }
        if words[at].starts_with('.') {
            let dotted = words.remove(at);
            words[at - 1].push_str(&dotted);
        } else if words[at]
            .strip_prefix(letter)
            .is_some_and(|r| r.starts_with('.'))
        {
            words.remove(at - 1);
        }
    }
    // The province: a `จ.` word, or Bangkok's name as the last word.
    let mut province: Option<&'static str> = None;
    let mut province_at = None;
    // The `จ.` read apart from its name as a sign or two (`9 สุราษฎร์ธานี`): the last word a
    // province's name, the word before it that short.
    if let [.., split, last] = &words[..] {
        let name = snap(last, &areas.provinces).filter(|name| *name != BANGKOK);
        if let Some(name) = name.filter(|_| split.chars().count() <= 2) {
            words.remove(words.len() - 2);
            *words.last_mut().expect("two words") = format!("จ.{name}");
            province = Some(name);
            province_at = Some(words.len() - 1);
        }
    }
    // Else the last `จ.` word.
    let written = words.iter().rposition(|w| w.starts_with("จ."));
    if let Some(at) = written.filter(|_| province.is_none()) {
        let read = &words[at]["จ.".len()..];
        let name = snap(read, &areas.provinces)
            .or_else(|| snap_near(read, &areas.provinces, 0.4).map(|(n, _)| n));
        if let Some(name) = name {
            words[at] = format!("จ.{name}");
            province = Some(name);
            province_at = Some(at);
        }
    }
    if province.is_none() {
        // The last word with its abbreviation misread (`9.สุราษฎร์ธาปี`): one sign and a dot.
        if let Some(last) = words.last_mut() {
            let mut chars = last.chars();
            let misread = chars.next().is_some() && chars.next() == Some('.');
            let name = misread
                .then(|| snap_near(chars.as_str(), &areas.provinces, 0.4))
                .flatten();
            if let Some((name, _)) = name {
                *last = format!("จ.{name}");
                province = Some(name);
                province_at = Some(words.len() - 1);
            }
        }
    }
    if province.is_none() && words.len() >= 2 {
        // The province too garbled (`จ.นบน!`): the district before it, when it is one
        // province's district only and read nearly (`อ.ปากเกร็ด` is in นนทบุรี alone).
        let read = &words[words.len() - 2];
        if let Some(district) = read.strip_prefix("อ.") {
            let owners: Vec<&'static str> = areas
                .provinces
                .iter()
                .copied()
                .filter(|p| {
                    areas
                        .districts
                        .get(p)
                        .is_some_and(|d| snap(district, d).is_some())
                })
                .collect();
            if let [only] = owners[..] {
                if let Some(last) = words.last_mut() {
                    *last = format!("จ.{only}");
                    province = Some(only);
                    province_at = Some(words.len() - 1);
                }
            }
        }
    }
    // Only Bangkok's addresses name a khet and a khwaeng: with those prefixes read, a last
    // word that starts as Bangkok's name does (`กรุงเหพิมิศาฬิศร`, `กรุจเกผิมหานคร`, or cut
    // short: `กรงเท`) is Bangkok.
    let bangkok_prefixes = words[..words.len().saturating_sub(1)]
        .iter()
        .any(|w| w.starts_with("เขต") || w.starts_with("แขวง"));
    if province.is_none() {
        if let Some(last) = words.last_mut() {
            let garbled_bangkok = bangkok_prefixes && last.starts_with("กร");
            if garbled_bangkok || snap(last, &[BANGKOK]).is_some() {
                *last = BANGKOK.to_string();
                province = Some(BANGKOK);
                province_at = Some(words.len() - 1);
            }
        }
    }
    let (Some(province), Some(province_at)) = (province, province_at) else {
        return words.join(" ");
    };
    let Some(districts) = areas.districts.get(province) else {
        return words.join(" ");
    };
    let (district_prefix, sub_prefix) = if province == BANGKOK {
        ("เขต", "แขวง")
    } else {
        ("อ.", "ต.")
    };
    // The district: the word before the province, its prefix read with a slip or not.
    let Some(district_at) = province_at.checked_sub(1) else {
        return words.join(" ");
    };
    let Some((district, _)) = snap_prefixed(&words[district_at], district_prefix, districts, 0.4)
    else {
        return words.join(" ");
    };
    words[district_at] = format!("{district_prefix}{district}");
    // The sub-district: the word before the district (or the two words before it, when the
    // read split the prefix off: `ด ชำจเผือก`).
    let Some(subs) = areas.sub_districts.get(&(province, district)) else {
        return words.join(" ");
    };
    let Some(sub_at) = district_at.checked_sub(1) else {
        return words.join(" ");
    };
    let one = snap_prefixed(&words[sub_at], sub_prefix, subs, 0.5);
    let two = sub_at.checked_sub(1).and_then(|before| {
        let glued = format!("{}{}", words[before], words[sub_at]);
        (words[before].chars().count() <= 2)
            .then(|| snap_prefixed(&glued, sub_prefix, subs, 0.5))
            .flatten()
    });
    // The prefix garbled past reading (`๓0ลาด์` for `ต.ตลาด`): the word is the sub-district by
    // its place, so its first one or two signs are dropped and the rest compared with the
    // names alone.
    let garbled = || {
        (1..=2)
            .filter_map(|skip| {
                let rest: String = words[sub_at].chars().skip(skip).collect();
                (rest.chars().count() >= 3)
                    .then(|| snap_near(&rest, subs, 0.5))
                    .flatten()
            })
            .min_by_key(|(_, distance)| *distance)
    };
    let one = one.or_else(|| two.is_none().then(garbled).flatten());
    match (one, two) {
        (Some(one), Some(two)) if two.1 <= one.1 => {
            words[sub_at] = format!("{sub_prefix}{}", two.0);
            words.remove(sub_at - 1);
        }
        (Some((name, _)), _) => words[sub_at] = format!("{sub_prefix}{name}"),
        (None, Some((name, _))) => {
            words[sub_at] = format!("{sub_prefix}{name}");
            words.remove(sub_at - 1);
        }
        (None, None) => {}
    }
    words.join(" ")
}

/// The name a place word (`อ.ปากเกร็ด`, `แขวงสุริยวงศ์`) is read from: the word compared with
/// each name behind its prefix, so a slip in the prefix (`เขิต`, `ด.`) counts like one in the
/// name. `share` as in [`snap_near`], of the prefixed name's letters. With the distance.
fn snap_prefixed<'n>(
    word: &str,
    prefix: &str,
    names: &[&'n str],
    share: f32,
) -> Option<(&'n str, usize)> {
    if let Some(read) = word.strip_prefix(prefix) {
        if let Some(name) = names.iter().copied().find(|n| *n == read) {
            return Some((name, 0));
        }
    }
    let prefixed: Vec<String> = names.iter().map(|n| format!("{prefix}{n}")).collect();
    let refs: Vec<&str> = prefixed.iter().map(String::as_str).collect();
    let (best, distance) = snap_near(word, &refs, share)?;
    let at = refs.iter().position(|r| *r == best)?;
    Some((names[at], distance))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each read snapped as expected (`assert_eq!` with the read in the message).
    fn assert_snaps(cases: &[(&str, &str)]) {
        for (read, snapped) in cases {
            assert_eq!(snap_place_names(read), *snapped, "{read}");
        }
    }

    /// Each read left as it is.
    fn assert_kept(reads: &[&str]) {
        for read in reads {
            assert_eq!(snap_place_names(read), *read);
        }
    }

    #[test]
    fn place_names_snap_within_their_province() {
        assert_snaps(&[
            (
                "131/17 หมู่ที่ 5 ต.บางพูด อ.ปากเคร็ด จ.นนทบุรี",
                "131/17 หมู่ที่ 5 ต.บางพูด อ.ปากเกร็ด จ.นนทบุรี",
            ),
            (
                "29/7 หมู่ที่ 5 ต.ในเมือง อ.เมืองขอนแกค่น จ.ขอนแถ่น",
                "29/7 หมู่ที่ 5 ต.ในเมือง อ.เมืองขอนแก่น จ.ขอนแก่น",
            ),
            (
                "2/13 หมู่ที่ 6 แขวงลาดยาว เขตจตุจักน กรุงเทพมหานคร",
                "2/13 หมู่ที่ 6 แขวงลาดยาว เขตจตุจักร กรุงเทพมหานคร",
            ),
        ]);
        // Right names are kept; a district of another province is not pulled in; far reads
        // and addresses without a province are left as read.
        assert_kept(&[
            "9 หมู่ที่ 1 ต.หาดใหญ่ อ.หาดใหญ่ จ.สงขลา",
            "9 หมู่ที่ 1 ต.หาดใหญ่ อ.กขคงจฉ จ.สงขลา",
            "9 หมู่ที่ 1 ต.หาดใหญ่ อ.ปากเคร็ด",
            "",
        ]);
    }

    #[test]
    fn sub_districts_and_garbled_abbreviations() {
        // Sub-district within its district; prefix slips (`เขิต`, `ด ชำจ…`); the province's
        // abbreviation misread; the province known from a district only it has.
        assert_snaps(&[
            (
                "229/12 หมู่ที่ 3 แขวจสุริยวจศ์ เขิตบางรัก กรุงเทพมหานคร",
                "229/12 หมู่ที่ 3 แขวงสุริยวงศ์ เขตบางรัก กรุงเทพมหานคร",
            ),
            (
                "42/7 หมู่ที่ 4 ด ชำจเผือก อ.เมืองเชียงใหม่ จ.เชียงใหม่",
                "42/7 หมู่ที่ 4 ต.ช้างเผือก อ.เมืองเชียงใหม่ จ.เชียงใหม่",
            ),
            (
                "252/4 หมู่ที่ 1 ต.ตลิทต 8.เมือฉสุราษฎร์ธาี 9.สุราษฎร์ธาปี",
                "252/4 หมู่ที่ 1 ต.ตลาด อ.เมืองสุราษฎร์ธานี จ.สุราษฎร์ธานี",
            ),
            (
                "223/7 หมู่ที่ 11 ต.บางพูด อ.ปากเกร็ด จ.นบน!",
                "223/7 หมู่ที่ 11 ต.บางพูด อ.ปากเกร็ด จ.นนทบุรี",
            ),
            // A sub-district whose prefix is garbled past reading; Bangkok known from its khet
            // and khwaeng prefixes when its own name is garbled.
            (
                "121/5 หมู่ที่ 4 ๓0ลาด์ อ.เมืองสุราษฎร์ธานี จ.สุราษฎร์ธานี",
                "121/5 หมู่ที่ 4 ต.ตลาด อ.เมืองสุราษฎร์ธานี จ.สุราษฎร์ธานี",
            ),
            (
                "166/2 หมู่ที่ 3 แขวงสุริยวงศ์ เขตบาจรัค กรุงเหพิมิศาฬิศร",
                "166/2 หมู่ที่ 3 แขวงสุริยวงศ์ เขตบางรัก กรุงเทพมหานคร",
            ),
            (
                "246/19 หมู่ที่ 3 แขวจสาดยาว เขตจตุจักร กรุจเกผิมหานคร",
                "246/19 หมู่ที่ 3 แขวงลาดยาว เขตจตุจักร กรุงเทพมหานคร",
            ),
            (
                "238/5 หมู่ที่ 9 แขวงสุริยวงศ์ เขตบางรัก กรงเท",
                "238/5 หมู่ที่ 9 แขวงสุริยวงศ์ เขตบางรัก กรุงเทพมหานคร",
            ),
            // The changwat's prefix read apart as a sign (`9 สุราษฎร์ธานี`), the amphoe's
            // letter apart from its dot (`อ .เมือจ…`) and the province then known from it.
            (
                "111/12 หมู่ที่ 1 ต.ตลาด อ.เมืองสุราษฎร์ธานี 9 สุราษฎร์ธานี",
                "111/12 หมู่ที่ 1 ต.ตลาด อ.เมืองสุราษฎร์ธานี จ.สุราษฎร์ธานี",
            ),
            (
                "278/11 หมู่ที่ 6 ๓ ใบเมือจ อ .เมือจขอนแก่น 9.ขอนเห็น",
                "278/11 หมู่ที่ 6 ต.ในเมือง อ.เมืองขอนแก่น จ.ขอนแก่น",
            ),
        ]);
        // Bangkok's garbled name without those prefixes; a sub-district far from every one of
        // its district's: left as read.
        assert_kept(&[
            "9 หมู่ที่ 1 ต.หาดใหญ่ กรุงเหพิมิศาฬิศร",
            "2 หมู่ที่ 1 ต.กขคงจฉชซ อ.เมืองเชียงใหม่ จ.เชียงใหม่",
        ]);
    }
}
