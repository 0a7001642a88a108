//! Indian states and union territories, with the first digit of their PIN codes (postal zone),
//! to spell a read state canonically and check a PIN against it.

use kycd_plugin_api::text::nearest_unique;

/// (name, first digits of its PIN codes).
const STATES: [(&str, &str); 36] = [
    ("Andhra Pradesh", "5"),
    ("Arunachal Pradesh", "7"),
    ("Assam", "7"),
    ("Bihar", "8"),
    ("Chhattisgarh", "4"),
    ("Goa", "4"),
    ("Gujarat", "3"),
    ("Haryana", "1"),
    ("Himachal Pradesh", "1"),
    ("Jharkhand", "8"),
    ("Karnataka", "5"),
    ("Kerala", "6"),
    ("Madhya Pradesh", "4"),
    ("Maharashtra", "4"),
    ("Manipur", "7"),
    ("Meghalaya", "7"),
    ("Mizoram", "7"),
    ("Nagaland", "7"),
    ("Odisha", "7"),
    ("Punjab", "1"),
    ("Rajasthan", "3"),
    ("Sikkim", "7"),
    ("Tamil Nadu", "6"),
    ("Telangana", "5"),
    ("Tripura", "7"),
    ("Uttar Pradesh", "2"),
    ("Uttarakhand", "2"),
    ("West Bengal", "7"),
    ("Andaman and Nicobar Islands", "7"),
    ("Chandigarh", "1"),
    ("Dadra and Nagar Haveli and Daman and Diu", "3"),
    ("Delhi", "1"),
    ("Jammu and Kashmir", "1"),
    ("Ladakh", "1"),
    ("Lakshadweep", "6"),
    ("Puducherry", "6"),
];

/// The canonical spelling of a state read by OCR: an exact (case-insensitive) match, or the
/// single closest name within a small edit distance.
pub fn canonical(read: &str) -> Option<&'static str> {
    if simplify(read).len() < 3 {
        return None;
    }
    nearest_unique(
        read,
        STATES.iter().map(|(name, _)| *name),
        simplify,
        |name| if name.len() >= 8 { 2 } else { 1 },
    )
}

/// Whether the PIN's postal zone (first digit) is the state's; `false` for an unknown state or a
/// malformed PIN.
pub fn pin_matches_state(pin: &str, state: &str) -> bool {
    pin.len() == 6
        && pin.bytes().all(|b| b.is_ascii_digit())
        && STATES
            .iter()
            .any(|(name, zone)| *name == state && pin.starts_with(zone))
}

fn simplify(s: &str) -> String {
    s.to_lowercase()
        .replace('&', " and ")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_are_spelled_canonically() {
        assert_eq!(canonical("MAHARASHTRA"), Some("Maharashtra"));
        assert_eq!(canonical("Maharastra"), Some("Maharashtra"));
        assert_eq!(canonical("Jammu & Kashmir"), Some("Jammu and Kashmir"));
        assert_eq!(canonical("Delhi"), Some("Delhi"));
        assert_eq!(canonical("Pune"), None);
        assert_eq!(canonical("Gomti Nagar"), None);
    }

    #[test]
    fn pin_zone_matches_state() {
        assert!(pin_matches_state("411436", "Maharashtra"));
        assert!(pin_matches_state("110465", "Delhi"));
        assert!(!pin_matches_state("226136", "Maharashtra"));
        assert!(!pin_matches_state("22613", "Uttar Pradesh"));
    }
}
