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
///
/// `english` is the holder's English name read on the same card: its title (`Mr.`, `Mrs.`,
/// `Miss`, `Ms.`) says which Thai title is printed, so a title read with one slip (`บาย`, `ยาง`,
/// `แน.ส.`) or with a stray mark or label fragment before it is put back from that twin. Marks
/// after the surname that hold no Thai letter (`|`) are dropped.
pub fn thai_name(text: &str, english: Option<&str>) -> String {
    let text = trim_marks(&crate::card::tidy_thai(text));
    for title in THAI_TITLES {
        if let Some(rest) = text.strip_prefix(title) {
            if !rest.is_empty() && !rest.starts_with(' ') {
                return trim_marks(&format!("{title} {rest}"));
            }
            break;
        }
    }
    let candidates = english_title_twins(english);
    let words: Vec<&str> = text.split_whitespace().collect();
    // The title is one of the first two words and a given name and surname follow it.
    for at in 0..words.len().saturating_sub(2).min(2) {
        if let Some(title) = nearest_title(words[at], candidates) {
            let rest = words[at + 1..].join(" ");
            return trim_marks(&format!("{title} {rest}"));
        }
    }
    trim_marks(&text)
}

/// A Thai name (`title given surname`, as [`thai_name`] writes it) with the letters the Thai
/// recogniser confuses (ด/ค, ฐ/ช, ...) put back where the romanised name printed on the same
/// card (`english`: title, given name and surname) agrees strictly better with the change
/// (`romanise::repair_by_romanisation`), word by word: the given name against the English given
/// name, the surname against the English surname. Titles are left out and unchanged; nothing
/// changes when the two names do not have the same number of words.
pub fn repair_name_by_english(thai: &str, english: &str) -> String {
    let mut thai_words: Vec<&str> = thai.split_whitespace().collect();
    let title = thai_words
        .first()
        .filter(|w| THAI_TITLES.contains(w))
        .copied();
    if title.is_some() {
        thai_words.remove(0);
    }
    let mut english_words = english.split_whitespace().peekable();
    let is_title = |w: &&str| {
        matches!(
            w.trim_end_matches('.').to_lowercase().as_str(),
            "mr" | "mrs" | "miss" | "ms"
        )
    };
    english_words.next_if(is_title);
    let english_words: Vec<&str> = english_words.collect();
    if thai_words.is_empty() || thai_words.len() != english_words.len() {
        return thai.to_string();
    }
    let repaired: Vec<String> = thai_words
        .iter()
        .zip(&english_words)
        .map(|(t, e)| {
            crate::romanise::repair_by_romanisation(t, e).unwrap_or_else(|| t.to_string())
        })
        .collect();
    title
        .into_iter()
        .map(str::to_string)
        .chain(repaired)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The Thai titles an English title can stand for; every title when it is unknown.
fn english_title_twins(english: Option<&str>) -> &'static [&'static str] {
    let first = english
        .and_then(|e| e.split_whitespace().next())
        .unwrap_or("")
        .trim_end_matches('.')
        .to_lowercase();
    match first.as_str() {
        "mr" => &["นาย"],
        "mrs" => &["นาง"],
        "miss" | "ms" => &["น.ส.", "นางสาว"],
        _ => &THAI_TITLES,
    }
}

/// The title `word` is a read of: equal, or one edit away from exactly one candidate (marks that
/// are neither Thai letters nor the title's dot ignored), or a single candidate title (the
/// English twin's) with one or two stray letters read before it (`นบนาย`).
fn nearest_title(word: &str, candidates: &[&'static str]) -> Option<&'static str> {
    let word: String = word
        .chars()
        .filter(|c| is_thai_letter(*c) || *c == '.')
        .collect();
    if word.is_empty() {
        return None;
    }
    if let Some(exact) = candidates.iter().find(|t| **t == word) {
        return Some(exact);
    }
    if candidates.len() <= 2 {
        // The twin's titles have no vowel sign above or below: one read there is a speck.
        let word: Vec<char> = word.chars().filter(|c| !is_combining(*c)).collect();
        let glued: Vec<&'static str> = candidates
            .iter()
            .copied()
            .filter(|title| {
                let extra = word.len().saturating_sub(title.chars().count());
                let tail: String = word[extra..].iter().collect();
                extra <= 2 && strsim::levenshtein(&tail, title) <= 1
            })
            .collect();
        if let [only] = glued[..] {
            return Some(only);
        }
    }
    let near: Vec<&'static str> = candidates
        .iter()
        .copied()
        .filter(|t| strsim::levenshtein(&word, t) <= 1)
        .collect();
    (near.len() == 1).then(|| near[0])
}

/// Thai vowel signs and marks written above or below a consonant.
fn is_combining(c: char) -> bool {
    c == '\u{0E31}'
        || ('\u{0E34}'..='\u{0E3A}').contains(&c)
        || ('\u{0E47}'..='\u{0E4E}').contains(&c)
}

/// Thai consonants, vowels and marks (not Thai digits or symbols).
fn is_thai_letter(c: char) -> bool {
    ('\u{0E01}'..='\u{0E4E}').contains(&c)
}

/// Drops leading and trailing words that hold no Thai letter (`|`, `:`, `๑`) and marks after
/// the last Thai letter (`รักไทย.`: a name never ends with a dot; a title's dot is followed by
/// the name).
fn trim_marks(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let has_letter = |w: &&str| w.chars().any(is_thai_letter);
    let first = words.iter().position(has_letter);
    let last = words.iter().rposition(has_letter);
    match (first, last) {
        (Some(first), Some(last)) => {
            let kept = words[first..=last].join(" ");
            kept.trim_end_matches(|c: char| !is_thai_letter(c))
                .to_string()
        }
        _ => text.to_string(),
    }
}

/// A Thai address read: the abbreviations `ต.` (tambon) and `อ.` (amphoe) that the Thai
/// recogniser reads as the Thai digits `๓.` and `๐.` are put back (Thai cards print numbers in
/// Arabic digits, so a Thai digit before a dot is always such a misread).
///
/// A dot read between a Thai word and a number (`หมู่ที่.11`) is a speck: Thai abbreviations
/// (`ต.`, `อ.`, `จ.`) are followed by Thai names, never by digits. It becomes the space.
pub fn thai_address(text: &str) -> String {
    let text = crate::card::tidy_thai(text)
        .replace("๓.", "ต.")
        .replace("๐.", "อ.");
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, c) in chars.iter().enumerate() {
        let after_thai = i > 0 && is_thai_letter(chars[i - 1]);
        let before_digit = chars[i + 1..]
            .iter()
            .find(|n| !n.is_whitespace())
            .is_some_and(|n| n.is_ascii_digit());
        if *c == '.' && after_thai && before_digit {
            out.push(' ');
        } else {
            out.push(*c);
        }
    }
    crate::card::tidy_thai(&out)
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
        assert_eq!(thai_name("นายวิชัย พรหมมา", None), "นาย วิชัย พรหมมา");
        assert_eq!(thai_name("นางสาวสมศรี ใจดี", None), "นางสาว สมศรี ใจดี");
        assert_eq!(thai_name("น.ส. สมศรี ใจดี", None), "น.ส. สมศรี ใจดี");
        // A title read with a slip, put back from the English twin's title.
        assert_eq!(
            thai_name("บาย ธนากร พรหมมา |", Some("Mr. Thanakorn")),
            "นาย ธนากร พรหมมา"
        );
        assert_eq!(
            thai_name("ยาง ณัฐธิดา ใจดี", Some("Mrs. Natthida")),
            "นาง ณัฐธิดา ใจดี"
        );
        assert_eq!(
            thai_name("แน.ส. นภัสสร ทองดี", Some("Miss Naphatsorn")),
            "น.ส. นภัสสร ทองดี"
        );
        assert_eq!(thai_name("นบาย สมศักดิ์ แสงทอง", None), "นาย สมศักดิ์ แสงทอง");
        // A stray mark or label fragment before the title.
        assert_eq!(thai_name("๑ นาย ธนากร วงศ์สวัสดิ์", None), "นาย ธนากร วงศ์สวัสดิ์");
        assert_eq!(
            thai_name(": นาง นภัสสร ศรีสุข", Some("Mrs. X")),
            "นาง นภัสสร ศรีสุข"
        );
        assert_eq!(
            thai_name("ชือ” น.สี: รัตนา ศักดิ์", Some("Miss Rattana")),
            "น.ส. รัตนา ศักดิ์"
        );
        // Marks before the title (the title then found from the English twin) and after the
        // surname; stray letters glued before the twin's title.
        assert_eq!(
            thai_name(". @ บาย สมศักดิ์ รักไทย.", Some("Mr. Somsak Rakthai")),
            "นาย สมศักดิ์ รักไทย"
        );
        assert_eq!(
            thai_name("นบนาย สมศักดิ์ แสงทอง", Some("Mr. Somsak Saengthong")),
            "นาย สมศักดิ์ แสงทอง"
        );
        assert_eq!(thai_name("นบนาย สมศักดิ์ แสงทอง", None), "นบนาย สมศักดิ์ แสงทอง");
        assert_eq!(
            thai_name("แนบาย วิชัย แสงทอง", Some("Mr. Wichai Saengthong")),
            "นาย วิชัย แสงทอง"
        );
        assert_eq!(
            thai_name("บยบ.ุส. ศิริพร แสงทอง", Some("Miss Siriporn Saengthong")),
            "น.ส. ศิริพร แสงทอง"
        );
        // The romanisation twin: look-alikes put back word by word, titles untouched.
        assert_eq!(
            repair_name_by_english("นาย ณัชพล ทองดคี", "Mr. Nattapon Thongdee"),
            "นาย ณัฐพล ทองดี"
        );
        assert_eq!(
            repair_name_by_english("นาง มั่นคง ใจคี", "Mrs. Mankong Jaidee"),
            "นาง มั่นคง ใจดี"
        );
        // Word counts differ (a name missing on one side): left as read.
        assert_eq!(
            repair_name_by_english("นาย วิชัย ทองคี", "Thongdee"),
            "นาย วิชัย ทองคี"
        );
        // Not a title: left as read.
        assert_eq!(thai_name("วิชัย พรหมมา", Some("Mr. Wichai")), "วิชัย พรหมมา");
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
        assert_eq!(
            thai_address("203/19 หมู่ที่.11 แขวงลาดยาว"),
            "203/19 หมู่ที่ 11 แขวงลาดยาว"
        );
        assert_eq!(thai_address("หมู่ที่. 11 จ.สงขลา"), "หมู่ที่ 11 จ.สงขลา");
    }
}
