//! Names and the small closed vocabularies of Thai cards.

/// Thai titles, longest first (so `นางสาว` is not taken for `นาง`).
const THAI_TITLES: [&str; 7] = ["นางสาว", "เด็กหญิง", "เด็กชาย", "น.ส.", "นาง", "นาย", "ด.ช."];

/// Religions as printed on the identity card.
pub const RELIGIONS: [&str; 6] = ["พุทธ", "อิสลาม", "คริสต์", "ฮินดู", "ซิกข์", "ไม่มี"];

/// The religion a Thai read is nearest to, when clearly so.
pub fn snap_religion(text: &str) -> Option<&'static str> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if text.is_empty() {
        return None;
    }
    let mut scored: Vec<(f64, &'static str)> = RELIGIONS
        .iter()
        .map(|r| (strsim::normalized_levenshtein(&text, r), *r))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    (scored[0].0 >= 0.5 && scored[0].0 - scored[1].0 >= 0.15).then_some(scored[0].1)
}

/// A Thai full name as printed: title, given name, surname separated by single spaces (a space
/// the recogniser dropped after the title is put back).
pub fn thai_name(text: &str) -> String {
    let text = crate::card::tidy_thai(text);
    for title in THAI_TITLES {
        if let Some(rest) = text.strip_prefix(title) {
            if !rest.is_empty() && !rest.starts_with(' ') {
                return format!("{title} {rest}");
            }
            break;
        }
    }
    text
}

/// A Thai address read: the abbreviations `ต.` (tambon) and `อ.` (amphoe) that the Thai
/// recogniser reads as the Thai digits `๓.` and `๐.` are put back (Thai cards print numbers in
/// Arabic digits, so a Thai digit before a dot is always such a misread).
pub fn thai_address(text: &str) -> String {
    crate::card::tidy_thai(text)
        .replace("๓.", "ต.")
        .replace("๐.", "อ.")
}

/// Replaces the first word of a Thai address read with the house number the Latin recogniser
/// read at the start of the same line, when that is a house number (`203/19`, `45`).
pub fn with_house_number(thai: &str, latin: &str) -> String {
    let Some(number) = latin.split_whitespace().next() else {
        return thai.to_string();
    };
    let is_house_number = number.split('/').count() <= 2
        && number
            .split('/')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let mut words = thai.split_whitespace();
    match words.next() {
        Some(first) if is_house_number && first.chars().any(|c| c.is_ascii_digit()) => {
            std::iter::once(number)
                .chain(words)
                .collect::<Vec<_>>()
                .join(" ")
        }
        _ => thai.to_string(),
    }
}

/// Latin text with single spaces.
pub fn tidy_latin(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An English name with its title written as printed (`Mr.`, `Mrs.`, `Miss`, `Ms.`).
pub fn english_title_case(text: &str) -> String {
    // Stray quote marks the recogniser reads at a word's start belong to no name.
    let mut words: Vec<String> = text
        .split_whitespace()
        .map(|w| w.trim_start_matches(['\'', '"', '`', ',']).to_string())
        .filter(|w| !w.is_empty())
        .collect();
    // A title run into the name (`MissArunee`, `Mr.Apichat`): split it off.
    if let Some(first) = words.first().cloned() {
        for title in ["Mrs.", "Mrs", "Mr.", "Mr", "Miss", "Ms.", "Ms"] {
            if let Some(rest) = first.strip_prefix(title) {
                if rest.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
                    words[0] = rest.to_string();
                    words.insert(0, title.to_string());
                }
                break;
            }
        }
    }
    if let Some(first) = words.first_mut() {
        let bare: String = first
            .chars()
            .filter(|c| c.is_ascii_alphabetic())
            .collect::<String>()
            .to_lowercase();
        let title = match bare.as_str() {
            "mr" => Some("Mr."),
            "mrs" => Some("Mrs."),
            "ms" => Some("Ms."),
            "miss" => Some("Miss"),
            _ => None,
        };
        if let Some(title) = title {
            *first = title.to_string();
        }
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_religions() {
        assert_eq!(thai_name("นายวิชัย พรหมมา"), "นาย วิชัย พรหมมา");
        assert_eq!(thai_name("นางสาวสมศรี ใจดี"), "นางสาว สมศรี ใจดี");
        assert_eq!(thai_name("น.ส. สมศรี ใจดี"), "น.ส. สมศรี ใจดี");
        assert_eq!(english_title_case("Mr Wichai"), "Mr. Wichai");
        assert_eq!(english_title_case("Miss  Somsri"), "Miss Somsri");
        assert_eq!(english_title_case("MissArunee X"), "Miss Arunee X");
        assert_eq!(english_title_case("Mr.Apichat"), "Mr. Apichat");
        assert_eq!(
            english_title_case("Mr. Thanakorn 'Suksawat"),
            "Mr. Thanakorn Suksawat"
        );
        assert_eq!(snap_religion("พุทธ"), Some("พุทธ"));
        assert_eq!(snap_religion("ฟุกทธ"), Some("พุทธ"));
        assert_eq!(snap_religion("อิสลาน"), Some("อิสลาม"));
        assert_eq!(snap_religion(""), None);
        assert_eq!(
            with_house_number("21อ91 หมู่ที่ 11 ต.ตลาด", "218/11 κ 11"),
            "218/11 หมู่ที่ 11 ต.ตลาด"
        );
        assert_eq!(with_house_number("หมู่ที่ 11", "κ 11"), "หมู่ที่ 11");
        assert_eq!(thai_address("10/10 หมู่ที่ 4 ๓.ตลาด"), "10/10 หมู่ที่ 4 ต.ตลาด");
    }
}
