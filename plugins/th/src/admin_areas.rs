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

use kycd_plugin_api::text::nearest_unique;

/// Provinces and their districts.
struct AdminAreas {
    /// Province name → its districts.
    districts: HashMap<&'static str, Vec<&'static str>>,
    /// Province names, in file order.
    provinces: Vec<&'static str>,
}

fn areas() -> &'static AdminAreas {
    static AREAS: OnceLock<AdminAreas> = OnceLock::new();
    AREAS.get_or_init(|| {
        let mut areas = AdminAreas {
            districts: HashMap::new(),
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

/// A Thai address with its province and district names snapped to the official names
/// (`จ.` and `อ.` words of a provincial address; `เขต` and `กรุงเทพมหานคร` in Bangkok).
/// The district is snapped only once the province is known. Anything else is left as read.
pub fn snap_place_names(address: &str) -> String {
    let areas = areas();
    let mut words: Vec<String> = address.split_whitespace().map(str::to_string).collect();
    // The province: a `จ.` word, or Bangkok's name as the last word.
    let mut province: Option<&'static str> = None;
    for word in words.iter_mut().rev() {
        if let Some(read) = word.strip_prefix("จ.") {
            if let Some(name) = snap(read, &areas.provinces) {
                *word = format!("จ.{name}");
                province = Some(name);
            }
            break;
        }
    }
    if province.is_none() {
        if let Some(last) = words.last_mut() {
            if snap(last, &[BANGKOK]).is_some() {
                *last = BANGKOK.to_string();
                province = Some(BANGKOK);
            }
        }
    }
    let Some(districts) = province.and_then(|p| areas.districts.get(p)) else {
        return words.join(" ");
    };
    let prefix = if province == Some(BANGKOK) {
        "เขต"
    } else {
        "อ."
    };
    for word in words.iter_mut() {
        if let Some(read) = word.strip_prefix(prefix) {
            if let Some(name) = snap(read, districts) {
                *word = format!("{prefix}{name}");
            }
            break;
        }
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_names_snap_within_their_province() {
        assert_eq!(
            snap_place_names("131/17 หมู่ที่ 5 ต.บางพูด อ.ปากเคร็ด จ.นนทบุรี"),
            "131/17 หมู่ที่ 5 ต.บางพูด อ.ปากเกร็ด จ.นนทบุรี"
        );
        assert_eq!(
            snap_place_names("29/7 หมู่ที่ 5 ต.ในเมือง อ.เมืองขอนแกค่น จ.ขอนแถ่น"),
            "29/7 หมู่ที่ 5 ต.ในเมือง อ.เมืองขอนแก่น จ.ขอนแก่น"
        );
        assert_eq!(
            snap_place_names("2/13 หมู่ที่ 6 แขวงลาดยาว เขตจตุจักน กรุงเทพมหานคร"),
            "2/13 หมู่ที่ 6 แขวงลาดยาว เขตจตุจักร กรุงเทพมหานคร"
        );
        // Right names are kept; a district of another province is not pulled in; far reads
        // and addresses without a province are left as read.
        let right = "9 หมู่ที่ 1 ต.หาดใหญ่ อ.หาดใหญ่ จ.สงขลา";
        assert_eq!(snap_place_names(right), right);
        let far = "9 หมู่ที่ 1 ต.หาดใหญ่ อ.กขคงจฉ จ.สงขลา";
        assert_eq!(snap_place_names(far), far);
        let no_province = "9 หมู่ที่ 1 ต.หาดใหญ่ อ.ปากเคร็ด";
        assert_eq!(snap_place_names(no_province), no_province);
        assert_eq!(snap_place_names(""), "");
    }
}
