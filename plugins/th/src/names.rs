//! Names and the small closed vocabularies of Thai cards.

use crate::lexicon::{self, NamePart};

/// Thai titles, longest first (so `นางสาว` is not taken for `นาง`).
const THAI_TITLES: [&str; 7] = ["นางสาว", "เด็กหญิง", "เด็กชาย", "น.ส.", "นาง", "นาย", "ด.ช."];

/// Religions as printed on the identity card.
pub const RELIGIONS: [&str; 6] = ["พุทธ", "อิสลาม", "คริสต์", "ฮินดู", "ซิกข์", "ไม่มี"];

/// The religion a Thai read is nearest to, when clearly so: the whole read, else its words from
/// the last (the value follows the label `ศาสนา`, whose remnants a damaged read keeps: `ศาล
/// พุกธ`; a region widened past the value ends in the background's specks: `ศาสห อิสสม 77ฝร`).
pub fn snap_religion(text: &str) -> Option<&'static str> {
    snap_religion_word(text).or_else(|| {
        text.split_whitespace().rev().find_map(|word| {
            let letters: String = word.chars().filter(|c| is_thai_letter(*c)).collect();
            snap_religion_word(&letters)
        })
    })
}

fn snap_religion_word(text: &str) -> Option<&'static str> {
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
    if let Some(name) =
        dotted_title_split(&words, candidates).or_else(|| glued_title_split(&words, candidates))
    {
        return trim_marks(&name);
    }
    // The title is one of the first two words and a given name and surname follow it.
    for at in 0..words.len().saturating_sub(2).min(2) {
        // Two slips allowed only where exactly a given name and surname follow.
        let loose = words.len() - at == 3;
        if let Some(title) = nearest_title(words[at], candidates, loose) {
            let rest = words[at + 1..].join(" ");
            return trim_marks(&format!("{title} {rest}"));
        }
    }
    // A title and one word after it: the given name and surname read glued (`บาจ ศิริพรใจดี`),
    // when the English twin's given name and surname cut the word clearly in two (the title
    // may then have two slips, as with a given name and surname read apart).
    if let ([word, glued], Some((first, second))) =
        (&words[..], english.and_then(given_and_surname))
    {
        let splits = split_by_english(glued, first, second).is_some();
        if let Some(title) = splits
            .then(|| nearest_title(word, candidates, true))
            .flatten()
        {
            // (`repair_name_by_english` cuts the word where the twin does.)
            return trim_marks(&format!("{title} {glued}"));
        }
    }
    trim_marks(&text)
}

/// A Thai name (`title given surname`, as [`thai_name`] writes it) with the letters the Thai
/// recogniser confuses (ด/ค, ฐ/ช, ...) put back where the romanised name printed on the same
/// card (`english`: title, given name and surname) agrees strictly better with the change
/// (`romanise::repair_by_romanisation`), word by word: the given name against the English given
/// name, the surname against the English surname. Each of the two words is then snapped to a
/// listed given name or surname the twin vouches for ([`lexicon::snap`]: vowel length, a vowel
/// sign lost or added, look-alikes outside the table). Titles are left out and unchanged;
/// nothing changes when the two names do not have the same number of words.
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
    // A vowel sign or mark cannot start a Thai word: one read there is a speck (`ุกนกวรรณ`).
    let unspecked: Vec<String> = thai_words
        .iter()
        .map(|w| w.trim_start_matches(is_combining).to_string())
        .collect();
    let mut thai_words: Vec<&str> = unspecked
        .iter()
        .map(String::as_str)
        .filter(|w| !w.is_empty())
        .collect();
    // Given name and surname read as one word (`ธนากรรักไทย`): cut where the two halves
    // agree best with the English given name and surname.
    let glued;
    if let ([word], [given, surname]) = (&thai_words[..], &english_words[..]) {
        glued = split_by_english(word, given, surname);
        if let Some((a, b)) = &glued {
            thai_words = vec![a.as_str(), b.as_str()];
        }
    }
    if thai_words.is_empty() || thai_words.len() != english_words.len() {
        return thai.to_string();
    }
    // A given name and a surname: each may also be snapped to a listed name of its kind.
    let parts = match thai_words.len() {
        2 => [Some(NamePart::Given), Some(NamePart::Family)],
        _ => [None, None],
    };
    let repaired: Vec<String> = thai_words
        .iter()
        .zip(&english_words)
        .zip(parts.into_iter().chain(std::iter::repeat(None)))
        .map(|((t, e), part)| {
            let repaired =
                crate::romanise::repair_by_romanisation(t, e).unwrap_or_else(|| t.to_string());
            let Some(part) = part else {
                return repaired;
            };
            lexicon::snap(&repaired, e, part)
                .or_else(|| {
                    (repaired != *t)
                        .then(|| lexicon::snap(t, e, part))
                        .flatten()
                })
                .map_or(repaired, str::to_string)
        })
        .collect();
    title
        .into_iter()
        .map(str::to_string)
        .chain(repaired)
        .collect::<Vec<_>>()
        .join(" ")
}

/// An English name (`title given surname`) with the Latin recogniser's slips on blurred print
/// settled by the Thai name read on the same card: `rn` read `m` (`Thanakom` for `Thanakorn`)
/// or the other way, `r` read `m` before `n` (`Thanakomn`), a thin `i` lost (`Kttipong`,
/// `Wilawan`). A word changes only where the Thai word agrees with the other spelling clearly
/// better (its romanisation, [`crate::romanise::agreement`]). Word by word when both names
/// have as many words; unchanged otherwise.
pub fn english_by_thai(english: &str, thai: &str) -> String {
    use crate::romanise::agreement;
    let english_words: Vec<&str> = english.split_whitespace().collect();
    let skip = usize::from(english_words.first().is_some_and(|w| is_english_title(w)));
    let thai_words: Vec<&str> = thai
        .split_whitespace()
        .filter(|w| !THAI_TITLES.contains(w))
        .collect();
    if thai_words.len() != english_words.len() - skip.min(english_words.len()) {
        return english.to_string();
    }
    let mut out: Vec<String> = english_words.iter().map(|w| w.to_string()).collect();
    for (at, (word, thai)) in out.iter_mut().skip(skip).zip(&thai_words).enumerate() {
        // The slips below are settled only by a Thai word that is itself a listed name: a
        // garbled Thai read (`ศีิริพร`) would pull a right English read towards its garbling.
        let part = if at == 0 {
            crate::lexicon::NamePart::Given
        } else {
            crate::lexicon::NamePart::Family
        };
        let listed = crate::lexicon::is_listed(thai, part);
        let read = agreement(thai, word);
        let mut candidates: Vec<String> = Vec::new();
        // A lost `i` is one romanised letter, so half a letter better (`<=`) is clear enough;
        // the others must beat the read by more.
        let mut lost_i: Vec<String> = Vec::new();
        // Only towards a letter the Thai read shows (ร for `rn`, ม for `m`): a Thai read that
        // lost letters (`ศิริพ5`) agrees better with any shorter spelling.
        if thai.contains('ร') {
            for (at, _) in word.match_indices('m') {
                candidates.push(format!("{}rn{}", &word[..at], &word[at + 1..]));
            }
        }
        if thai.contains('ม') {
            for (at, _) in word.match_indices("rn") {
                candidates.push(format!("{}m{}", &word[..at], &word[at + 2..]));
            }
        }
        if listed && thai.contains('ร') {
            for (at, _) in word.match_indices("mn") {
                candidates.push(format!("{}rn{}", &word[..at], &word[at + 2..]));
            }
        }
        // Towards an `i` only where the Thai word writes one (sara i, sara ii, sara ai).
        if listed && thai.contains(['ิ', 'ี', 'ไ', 'ใ']) {
            for at in 1..word.len() {
                if word.is_char_boundary(at) {
                    lost_i.push(format!("{}i{}", &word[..at], &word[at..]));
                }
            }
        }
        let clearly_better = |score: f32, lost_i: bool| {
            if lost_i {
                score + 0.5 <= read
            } else {
                score + 0.5 < read
            }
        };
        let best = candidates
            .into_iter()
            .map(|c| (c, false))
            .chain(lost_i.into_iter().map(|c| (c, true)))
            .map(|(c, lost_i)| (agreement(thai, &c), lost_i, c))
            .filter(|(score, lost_i, _)| clearly_better(*score, *lost_i))
            .min_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, _, candidate)) = best {
            *word = candidate;
        }
    }
    out.join(" ")
}

/// How far a Thai name (`title given surname`) is from its English twin on the same card:
/// the sum of [`crate::romanise::agreement`] over the given name and surname (titles left
/// out); `None` when the two do not have the same number of words.
pub fn twin_disagreement(thai: &str, english: &str) -> Option<f32> {
    let thai: Vec<&str> = thai
        .split_whitespace()
        .filter(|w| !THAI_TITLES.contains(w))
        .collect();
    let english: Vec<&str> = english
        .split_whitespace()
        .filter(|w| !is_english_title(w))
        .collect();
    (!thai.is_empty() && thai.len() == english.len()).then(|| {
        thai.iter()
            .zip(&english)
            .map(|(t, e)| crate::romanise::agreement(t, e))
            .sum()
    })
}

/// Whether a word is an English title (`Mr.`, `Mrs.`, `Miss`, `Ms.`).
fn is_english_title(word: &str) -> bool {
    matches!(
        word.trim_end_matches('.').to_lowercase().as_str(),
        "mr" | "mrs" | "miss" | "ms"
    )
}

/// A disagreement with the twin must shrink by this much for another read to be preferred.
const TWIN_MARGIN: f32 = 0.25;

/// One Thai read of a name settled against its English twin: the English `rn`/`m` slip
/// ([`english_by_thai`]), then the Thai letter slips ([`repair_name_by_english`]), and how far
/// the result still is from the twin.
#[derive(Debug, Clone)]
pub struct TwinRepair {
    /// The Thai name as read (title restored, [`thai_name`]).
    pub read: String,
    /// The English name, `rn`/`m` settled by the Thai read.
    pub english: String,
    /// The Thai name repaired by the English.
    pub repaired: String,
    /// [`twin_disagreement`] of the repaired name.
    pub disagreement: Option<f32>,
}

impl TwinRepair {
    /// Settles one read (`read`, as [`thai_name`] writes it) against the English name read.
    pub fn new(read: String, english: &str) -> TwinRepair {
        let english = english_by_thai(english, &read);
        let repaired = repair_name_by_english(&read, &english);
        let disagreement = twin_disagreement(&repaired, &english);
        TwinRepair {
            read,
            english,
            repaired,
            disagreement,
        }
    }

    /// Whether the repaired name spells its twin exactly (nothing to gain from another read).
    pub fn agrees(&self) -> bool {
        self.disagreement.is_some_and(|d| d < 1e-3)
    }

    /// Whether this read is clearly the better of two reads of the same name: its word count
    /// matches the twin where the other's does not, or it agrees with the twin better by
    /// `TWIN_MARGIN`. On a tie the other (first) read stays.
    pub fn clearly_better_than(&self, other: &TwinRepair) -> bool {
        match (self.disagreement, other.disagreement) {
            (Some(_), None) => true,
            (Some(mine), Some(theirs)) => mine + TWIN_MARGIN <= theirs,
            _ => false,
        }
    }
}

/// Of two reads of one name (each with its confidence), the one to keep: the one that agrees
/// clearly better with the English twin ([`TwinRepair::clearly_better_than`]); when neither
/// does and they differ, a third read (`third`, from yet another crop) decides by majority
/// (the recogniser's slips move with the crop; the printed name does not); else the first.
/// Where the two reads each got a different word right (`รัตนา ศักดส์สทร์` and `รัตพนา
/// ศักดิ์สิทธิ์`), the two combined word by word (`word_by_word`) is kept when it agrees
/// clearly better than that.
pub fn pick_read(
    first: (TwinRepair, f32),
    second: (TwinRepair, f32),
    third: impl FnOnce() -> (TwinRepair, f32),
) -> (TwinRepair, f32) {
    let combined = word_by_word(&first.0, &second.0)
        .map(|read| TwinRepair::new(read, &first.0.english))
        .map(|repair| (repair, first.1.min(second.1)));
    let chosen = pick_whole_read(first, second, third);
    match combined {
        Some(combined) if combined.0.clearly_better_than(&chosen.0) => combined,
        _ => chosen,
    }
}

fn pick_whole_read(
    first: (TwinRepair, f32),
    second: (TwinRepair, f32),
    third: impl FnOnce() -> (TwinRepair, f32),
) -> (TwinRepair, f32) {
    if second.0.clearly_better_than(&first.0) {
        return second;
    }
    if first.0.clearly_better_than(&second.0) || first.0.repaired == second.0.repaired {
        return first;
    }
    let third = third();
    if third.0.repaired == second.0.repaired {
        second
    } else {
        first
    }
}

/// Two repaired reads of one name (`title given surname`, the same title and as many words as
/// their twin) combined word by word: each word from the read whose word agrees better with
/// its English twin word, the first read's on a tie; `None` when the reads cannot be lined up
/// or give nothing new.
fn word_by_word(first: &TwinRepair, second: &TwinRepair) -> Option<String> {
    use crate::romanise::agreement;
    let a: Vec<&str> = first.repaired.split_whitespace().collect();
    let b: Vec<&str> = second.repaired.split_whitespace().collect();
    let english: Vec<&str> = first
        .english
        .split_whitespace()
        .filter(|w| !is_english_title(w))
        .collect();
    let titled = |words: &[&str]| words.first().is_some_and(|w| THAI_TITLES.contains(w));
    let lined_up = first.english == second.english
        && a.len() == b.len()
        && titled(&a)
        && a.first() == b.first()
        && a.len() == english.len() + 1;
    if !lined_up {
        return None;
    }
    let words: Vec<&str> = std::iter::once(a[0])
        .chain(a[1..].iter().zip(&b[1..]).zip(&english).map(|((x, y), e)| {
            if agreement(y, e) < agreement(x, e) {
                *y
            } else {
                *x
            }
        }))
        .collect();
    let combined = words.join(" ");
    (combined != first.repaired && combined != second.repaired).then_some(combined)
}

/// Cuts a Thai word in two where the halves agree best with two English words, when that cut
/// is clearly better than every other (a cut never separates a vowel sign or mark from its
/// letter).
fn split_by_english(word: &str, first: &str, second: &str) -> Option<(String, String)> {
    use crate::romanise::agreement;
    let chars: Vec<char> = word.chars().collect();
    let mut cuts: Vec<(f32, usize)> = (2..chars.len().saturating_sub(1))
        .filter(|i| !is_combining(chars[*i]))
        .map(|i| {
            let a: String = chars[..i].iter().collect();
            let b: String = chars[i..].iter().collect();
            (agreement(&a, first) + agreement(&b, second), i)
        })
        .collect();
    cuts.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (best, at) = *cuts.first()?;
    // The halves must spell the English words nearly (not a garbled read cut anyhow).
    let letters = (first.len() + second.len()) as f32;
    let clear = best <= 0.25 * letters && cuts.get(1).is_none_or(|next| next.0 - best >= 0.5);
    clear.then(|| (chars[..at].iter().collect(), chars[at..].iter().collect()))
}

/// The given name and surname of an English name (`Mrs. Siriporn Jaidee`): its words after
/// the title, when they are exactly two.
fn given_and_surname(english: &str) -> Option<(&str, &str)> {
    let words: Vec<&str> = english
        .split_whitespace()
        .filter(|w| !is_english_title(w))
        .collect();
    match words[..] {
        [first, second] => Some((first, second)),
        _ => None,
    }
}

/// A name whose dotted title (`น.ส.`, the English twin's) lost its dots: read as two letters
/// (`น ส`, `บ ส`) or glued to the given name (`บ.สปิยะนุช`), one of its two letters a slip at
/// most, as one of the first two words (a speck may precede it), exactly a given name and
/// surname after it. Only when the twin's title is known.
fn dotted_title_split(words: &[&str], candidates: &[&'static str]) -> Option<String> {
    if candidates.len() > 2 {
        return None;
    }
    let title = candidates.iter().copied().find(|t| t.contains('.'))?;
    let title_letters: String = title.chars().filter(|c| *c != '.').collect();
    let near = |a: char, b: char| {
        let read: String = [a, b].iter().collect();
        is_thai_letter(a) && is_thai_letter(b) && strsim::levenshtein(&read, &title_letters) <= 1
    };
    let letters = |w: &str| -> Vec<char> { w.chars().filter(|c| *c != '.').collect() };
    for at in 0..words.len().min(2) {
        let rest = &words[at..];
        if let [first, second, given, surname] = rest {
            if let ([x], [y]) = (&letters(first)[..], &letters(second)[..]) {
                if near(*x, *y) {
                    return Some(format!("{title} {given} {surname}"));
                }
            }
        }
        if let [glued, surname] = rest {
            let chars: Vec<char> = glued.chars().collect();
            if let [x, '.', y, given @ ..] | [x, y, '.', given @ ..] = &chars[..] {
                let given: String = given.iter().collect::<String>();
                let given = given.trim_start_matches('.');
                if near(*x, *y) && given.chars().filter(|c| !is_combining(*c)).count() >= 2 {
                    return Some(format!("{title} {given} {surname}"));
                }
            }
        }
    }
    None
}

/// A name whose undotted title, read with one slip, is glued to the given name (`บายวิชัย
/// ศักดิ์สิทธิ์` for `นาย วิชัย ศักดิ์สิทธิ์`): exactly two words, the first starting with one of
/// the twin's titles one slip away and at least two letters after it. Only when the twin's
/// title is known (a title read exactly is split off by [`thai_name`] before).
fn glued_title_split(words: &[&str], candidates: &[&'static str]) -> Option<String> {
    let ([glued, surname], true) = (words, candidates.len() <= 2) else {
        return None;
    };
    let chars: Vec<char> = glued.chars().collect();
    let splits: Vec<String> = candidates
        .iter()
        .filter(|title| !title.contains('.'))
        .filter_map(|title| {
            let n = title.chars().count();
            let given = chars.get(n..)?;
            let head: String = chars[..n].iter().collect();
            let letters = given.iter().filter(|c| !is_combining(**c)).count();
            let fits =
                letters >= 2 && !is_combining(given[0]) && strsim::levenshtein(&head, title) <= 1;
            fits.then(|| format!("{title} {} {surname}", given.iter().collect::<String>()))
        })
        .collect();
    match &splits[..] {
        [only] => Some(only.clone()),
        _ => None,
    }
}

/// Whether a Thai name (as [`thai_name`] writes it) starts with a title its English twin's
/// title stands for (`Mr.` → `นาย`, ...; any Thai title when the English title is unknown).
pub fn has_twin_title(thai: &str, english: &str) -> bool {
    let first = thai.split_whitespace().next().unwrap_or("");
    english_title_twins(Some(english)).contains(&first)
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
/// English twin's) with one or two stray letters read before it (`นบนาย`); with `loose`, the
/// twin's title two slips away when nearer than any other (`นจ` for `นาง`).
fn nearest_title(word: &str, candidates: &[&'static str], loose: bool) -> Option<&'static str> {
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
        // The twin's title read with two slips (`นจ` for `นาง`, `น.ี` for `น.ส.`), when
        // nearer than the other candidate.
        let mut scored: Vec<(usize, &'static str)> = candidates
            .iter()
            .map(|t| (strsim::levenshtein(&word.iter().collect::<String>(), t), *t))
            .collect();
        scored.sort();
        let unique = scored.get(1).is_none_or(|next| next.0 > scored[0].0);
        if loose && word.len() >= 2 && scored[0].0 <= 2 && unique {
            return Some(scored[0].1);
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
pub(crate) fn is_combining(c: char) -> bool {
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
/// A dot (or a run of dots, dashes, commas, colons) read between a Thai word and a number
/// (`หมู่ที่.11`, `หมู่ที่-.11`) is a speck: Thai abbreviations (`ต.`, `อ.`, `จ.`) are followed by
/// Thai names, never by digits. It becomes the space.
pub fn thai_address(text: &str) -> String {
    let text = crate::card::tidy_thai(text)
        .replace("๓.", "ต.")
        .replace("๐.", "อ.");
    let text = text
        .split_whitespace()
        .map(house_number_slash)
        .flat_map(|w| unglued(&w))
        .collect::<Vec<_>>()
        .join(" ");
    let chars: Vec<char> = text.chars().collect();
    let is_speck = |c: char| matches!(c, '.' | '-' | ',' | ':');
    let mut out = String::with_capacity(text.len());
    for (i, c) in chars.iter().enumerate() {
        // Specks run together (`หมู่ที่-.11`): look past them both ways.
        let after_thai = chars[..i]
            .iter()
            .rev()
            .find(|p| !is_speck(**p))
            .is_some_and(|p| is_thai_letter(*p));
        let before_digit = chars[i + 1..]
            .iter()
            .find(|n| !n.is_whitespace() && !is_speck(**n))
            .is_some_and(|n| n.is_ascii_digit());
        if is_speck(*c) && after_thai && before_digit {
            out.push(' ');
        } else {
            out.push(*c);
        }
    }
    // A speck after the last place name (`กรุงเทพมหานคร.`): no address ends with a mark, but
    // an abbreviation whose name was lost (`จ.`) is left as read.
    let out = crate::card::tidy_thai(&out);
    let trimmed = out.trim_end_matches(|c: char| is_speck(c) || c == '|');
    match trimmed.split_whitespace().last() {
        Some(last) if last.chars().count() >= 3 => trimmed.to_string(),
        _ => out,
    }
}

/// A house number whose slash the Thai recogniser read as a bar (`277|4`, `260!6`): the mark
/// between two digits put back as the slash (only the house number holds digit, mark, digit).
fn house_number_slash(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::with_capacity(word.len());
    for (i, c) in chars.iter().enumerate() {
        let between_digits = i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if between_digits && matches!(c, '|' | '!') {
            out.push('/');
        } else {
            out.push(*c);
        }
    }
    out
}

/// Whether a word reads as the village-number label, `slips` recogniser slips allowed.
fn is_village_label(word: &str, slips: usize) -> bool {
    word.chars().count() >= 4 && strsim::levenshtein(word, MOO) <= slips
}

/// A word of an address split where the read glued an address part to a number: the house
/// number to the village label (`105/12หมู่ที่4`), the label to its number (`หมู่ที่9`,
/// `ผู่กี่5`: the label with up to three slips), the village number to the tambon or district
/// (`5ต.บางพูด`, `4แขวงลาดยาว`). Other words are kept whole (`ถนนพระราม4` is a road's name).
fn unglued(word: &str) -> Vec<String> {
    // Runs of ASCII digits (and the slash) and runs of anything else.
    let numeric = |c: char| c.is_ascii_digit() || c == '/';
    let mut runs: Vec<String> = Vec::new();
    for c in word.chars() {
        match runs.last_mut() {
            Some(run) if run.starts_with(numeric) == numeric(c) => run.push(c),
            _ => runs.push(c.to_string()),
        }
    }
    let is_numeric = |run: &str| run.starts_with(numeric);
    let starts_place = |run: &str| {
        let chars: Vec<char> = run.chars().collect();
        matches!(chars[..], [c, '.', _, ..] if is_thai_letter(c) && !is_combining(c))
            || run.starts_with("แขวง")
            || run.starts_with("เขต")
    };
    let mut out: Vec<String> = Vec::new();
    for run in runs {
        // The village number's label read at the end of a longer run (`ม0ๆ0ตมู่ก่` before `4`:
        // the house number misread and glued to it): set apart from what precedes it.
        if is_numeric(&run) {
            if let Some(before) = out.last_mut() {
                if !is_numeric(before) && !is_village_label(before, 3) {
                    if let Some(label) = village_label_at_end(before) {
                        let head_len = before.len() - label.len();
                        before.truncate(head_len);
                        out.push(label);
                    }
                }
            }
        }
        // The village number read: whatever follows it is the next word (`4๓๕ลา0`).
        let after_village_number = matches!(
            &out[..],
            [.., label, number] if is_village_label(label, 3)
                && is_numeric(number)
                && number.len() <= 2
        );
        let split = after_village_number
            || out.last().is_some_and(|before: &String| {
                if is_numeric(before) {
                    is_village_label(&run, 3) || starts_place(&run)
                } else {
                    is_numeric(&run) && is_village_label(before, 3)
                }
            });
        match out.last_mut() {
            Some(before) if !split => before.push_str(&run),
            _ => out.push(run),
        }
    }
    out
}

/// The village label at the end of a run of Thai signs, with three slips at most, when something
/// precedes it: of the tails of four to eight signs, the nearest to the label, the longest of
/// equally near ones (`ตมู่ก่`: the label's first letter misread, not a letter of what precedes).
fn village_label_at_end(run: &str) -> Option<String> {
    let chars: Vec<char> = run.chars().collect();
    (4..=8.min(chars.len().saturating_sub(1)))
        .map(|n| chars[chars.len() - n..].iter().collect::<String>())
        .filter(|tail| is_village_label(tail, 3))
        .min_by_key(|tail| {
            (
                strsim::levenshtein(tail, MOO),
                std::cmp::Reverse(tail.len()),
            )
        })
}

/// The village-number label of an address.
const MOO: &str = "หมู่ที่";

/// The words of an address with the village label put back where the read lost it between
/// the house number and the village number (`226/13 5 แขวง…`: on a card a bare one- or
/// two-digit number after the house number is always the village number). A label glued to
/// its number was set apart by [`thai_address`].
fn with_lost_village_label(text: &str) -> Vec<String> {
    let mut words: Vec<String> = text.split_whitespace().map(str::to_string).collect();
    let lost_label = words.len() >= 3
        && is_house_number(&words[0])
        && (1..=2).contains(&words[1].len())
        && words[1].bytes().all(|b| b.is_ascii_digit())
        // The place after it starts with a Thai letter, or with a Thai digit that is a
        // misread of its prefix (`๑.๓ลา0` for `ต.ตลาด`).
        && words[2]
            .chars()
            .next()
            .is_some_and(|c| is_thai_letter(c) || ('๐'..='๙').contains(&c));
    if lost_label {
        words.insert(1, MOO.to_string());
    }
    words
}

/// The village-number label (`หมู่ที่`, read `หมู่กี่`, before a number) and the tambon /
/// amphoe / changwat abbreviations that end a provincial address
/// (`ต.บางพูด อ.ปากเกร็ด จ.นนทบุรี`), put back where the recogniser read one with a slip: a
/// letter doubled or a look-alike added before the dot (`ตต.ตลาด`, `ตด.หาดใหญ่`), or the dot
/// read as the vowel sign ะ or a comma (`จะขอนแก่น`, `อ,เมือง`). Only the last three words
/// are looked at, each for its own letter (ต, อ, จ in that order), and only when at least one
/// of them is already written as an abbreviation (so a Bangkok address, `แขวง … เขต …
/// กรุงเทพมหานคร`, and names that merely start with those letters are left alone).
pub fn address_abbreviations(text: &str) -> String {
    let mut words = with_lost_village_label(text);
    // The village number's label, printed before a number (`หมู่ที่ 11`), read with slips
    // (`หมู่กี่`, `คมู่กี่`, `หมู่คี`): two slips at most.
    // Right after the house number (its place on every card) three slips (`บู่กี่`, `ผุที่`).
    for at in 0..words.len().saturating_sub(1) {
        let before_number = words[at + 1].chars().all(|c| c.is_ascii_digit());
        let after_house = at > 0 && is_house_number(&words[at - 1]);
        // There, a word with the label's sara u (`หมงู้หี`, `คยู่คี`) four: `ซอย`, `ถนน` and
        // the place abbreviations that may also follow a house number have none.
        let allowed = match (after_house, words[at].contains('ู')) {
            (true, true) => 4,
            (true, false) => 3,
            _ => 2,
        };
        if before_number && words[at] != MOO && is_village_label(&words[at], allowed) {
            words[at] = MOO.to_string();
        }
    }
    if words.len() < 3 {
        return words.join(" ");
    }
    let tail = words.len() - 3;
    let expected = ['ต', 'อ', 'จ'];
    let is_abbreviation = |w: &str, letter: char| {
        let mut chars = w.chars();
        chars.next() == Some(letter) && chars.next() == Some('.')
    };
    if !words[tail..]
        .iter()
        .zip(expected)
        .any(|(w, letter)| is_abbreviation(w, letter))
    {
        return words.join(" ");
    }
    for (word, letter) in words[tail..].iter_mut().zip(expected) {
        let chars: Vec<char> = word.chars().collect();
        if chars.first() != Some(&letter) || is_abbreviation(word, letter) {
            continue;
        }
        // The name starts after the slip: `ตต.` / `ตด.` (a letter before the dot), `จะ`, `อ,`.
        let name_at = match chars.get(1..3) {
            Some([c, '.']) if is_thai_letter(*c) && !is_combining(*c) => 3,
            Some(['ะ' | ',' | '·' | ':', _]) => 2,
            _ => continue,
        };
        if chars.len() > name_at + 1 {
            *word = format!("{letter}.{}", chars[name_at..].iter().collect::<String>());
        }
    }
    words.join(" ")
}

/// Replaces the first word of a Thai address read with the house number the Latin recogniser
/// read at the start of the same line, when that is a house number (`203/19`, `45`), unless
/// the Thai read is itself a house number with more digits.
pub fn with_house_number(thai: &str, latin: &str) -> String {
    let Some(number) = latin.split_whitespace().next() else {
        return thai.to_string();
    };
    let thai = without_bar_in_house_number(thai);
    let thai = thai.as_str();
    // The address starts with the house number: a short word read before it is what is left
    // of the label (`ลยู่` of `ที่อยู่`) or a speck (`.`).
    let all: Vec<&str> = thai.split_whitespace().collect();
    let has_digit = |w: &&str| w.chars().any(|c| c.is_ascii_digit());
    let completed = all
        .iter()
        .find(|w| has_digit(w))
        .and_then(|first| completed_after_slash(number, first));
    let doubled = all
        .iter()
        .find(|w| has_digit(w))
        .and_then(|first| with_doubled_digit(number, first));
    let number = completed
        .as_deref()
        .or(doubled.as_deref())
        .unwrap_or(number);
    let thai = match all.iter().position(has_digit) {
        Some(1) if is_house_number(number) && all[0].chars().count() <= 5 => all[1..].join(" "),
        _ => thai.to_string(),
    };
    let mut words = thai.split_whitespace();
    match words.next() {
        // The Latin read drops a digit now and then (`20/19` for `203/19`) or reads the slash
        // as a digit (`27714` for `277/4`); a well-formed Thai read with more digits, or with
        // the slash where the Latin read has a digit, is kept.
        Some(first)
            if is_house_number(number)
                && first.chars().any(|c| c.is_ascii_digit())
                && !(is_house_number(first)
                    && (first.len() > number.len() || slash_read_as_digit(first, number))) =>
        {
            std::iter::once(number)
                .chain(words)
                .collect::<Vec<_>>()
                .join(" ")
        }
        _ => thai.to_string(),
    }
}

/// A Latin house number that lost what follows its slash (`241/`) completed from the Thai read
/// of it, whose slash was misread as a letter (`24บ3`): the Thai read starts with digits the
/// Latin number starts with, then one character that is not a digit, then only digits. Or
/// whose slash was lost with the digit before it (`103` for `104/3`): the Thai read only
/// digits, the Latin number's digits but its last first, then what followed the slash.
fn completed_after_slash(latin: &str, thai: &str) -> Option<String> {
    let head = latin
        .strip_suffix('/')
        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_digit()))?;
    if !thai.is_empty() && thai.bytes().all(|b| b.is_ascii_digit()) {
        let shared = head
            .bytes()
            .zip(thai.bytes())
            .take_while(|(h, t)| h == t)
            .count();
        let tail = &thai[shared..];
        let fits = shared >= 1 && shared + 1 >= head.len() && !tail.is_empty();
        return fits.then(|| format!("{head}/{tail}"));
    }
    let lead: String = thai.chars().take_while(char::is_ascii_digit).collect();
    let rest: Vec<char> = thai.chars().skip(lead.len()).collect();
    let [slash, tail @ ..] = rest.as_slice() else {
        return None;
    };
    let fits = !lead.is_empty()
        && head.starts_with(&lead)
        && !slash.is_ascii_digit()
        && !tail.is_empty()
        && tail.iter().all(char::is_ascii_digit);
    fits.then(|| format!("{head}/{}", tail.iter().collect::<String>()))
}

/// The Thai read with a bar dropped from its first word holding a digit when that leaves a
/// house number: Tesseract reads a slash's stroke twice now and then (`170/|10`). Otherwise
/// the read as it is.
fn without_bar_in_house_number(thai: &str) -> String {
    let first = thai
        .split_whitespace()
        .find(|w| w.chars().any(|c| c.is_ascii_digit()));
    match first {
        Some(word) if word.contains('|') && is_house_number(&word.replace('|', "")) => {
            thai.replacen(word, &word.replace('|', ""), 1)
        }
        _ => thai.to_string(),
    }
}

/// A Latin house number that lost one of two equal digits side by side (the recogniser's CTC
/// decoding merges a repeat it sees no gap in: `25/12` for `225/12`), restored from the Thai
/// read of it, one digit longer and not holding the Latin number's characters in order (which
/// would mean the Latin read dropped another digit, `17/10` of `170/10`): the Latin number with
/// one digit doubled that has the Thai read's slash and differs from it in at most one digit
/// (`229/12`), when only one does.
fn with_doubled_digit(latin: &str, thai: &str) -> Option<String> {
    let in_order = |short: &str, long: &str| {
        let mut long = long.chars();
        short.chars().all(|c| long.any(|l| l == c))
    };
    if !is_house_number(latin)
        || !is_house_number(thai)
        || latin.len() + 1 != thai.len()
        || in_order(latin, thai)
    {
        return None;
    }
    let mut fitting: Vec<String> = (0..latin.len())
        .filter(|&at| latin.as_bytes()[at].is_ascii_digit())
        .map(|at| format!("{}{}", &latin[..=at], &latin[at..]))
        .filter(|doubled| {
            let differ = doubled.bytes().zip(thai.bytes()).filter(|(d, t)| d != t);
            doubled.find('/') == thai.find('/') && differ.count() <= 1
        })
        .collect();
    fitting.dedup();
    match fitting.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// Whether `latin` is the house number `thai` (`277/4`) with its slash read as a digit
/// (`27714`) and every other digit the same.
fn slash_read_as_digit(thai: &str, latin: &str) -> bool {
    thai.contains('/')
        && !latin.contains('/')
        && thai.len() == latin.len()
        && thai
            .bytes()
            .zip(latin.bytes())
            .all(|(t, l)| t == l || (t == b'/' && matches!(l, b'1' | b'7')))
}

/// An address read of a region the Latin pass found no line in (no Latin house number to go
/// by): what is read before its house number (`, 6ค`: label remnants, at most two short
/// words, so the village label `หมู่ที่` before its number stays) and
/// after its last Thai letter (`|.`) is dropped.
pub fn trim_address_region(thai: &str) -> String {
    let words: Vec<&str> = thai.split_whitespace().collect();
    let start = words
        .iter()
        .position(|w| is_house_number(w))
        .filter(|at| *at <= 2 && words[..*at].iter().all(|w| w.chars().count() <= 5))
        .unwrap_or(0);
    let end = words
        .iter()
        .rposition(|w| w.chars().any(is_thai_letter))
        .map_or(words.len(), |at| at + 1)
        .max(start);
    let kept = words[start..end].join(" ");
    let tail = kept
        .char_indices()
        .rev()
        .find(|(_, c)| is_thai_letter(*c) || c.is_ascii_digit())
        .map_or(0, |(at, c)| at + c.len_utf8());
    kept[..tail].to_string()
}

/// Whether a word is a house number: digits, or digits `/` digits.
fn is_house_number(word: &str) -> bool {
    word.split('/').count() <= 2
        && word
            .split('/')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Latin text with single spaces.
pub fn tidy_latin(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An English name line with the spaces the recogniser lost put back: a title run into the
/// name (`Mr.Kittipong`) and a given name run into the surname (`ApichatJaidee`: a capital
/// after a small letter starts a word; Thai names romanised have no inner capitals).
pub fn unglued_english(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let mut previous: Option<char> = None;
    for c in text.chars() {
        let after_title = previous == Some('.') && {
            let word = out.rsplit(' ').next().unwrap_or("");
            is_english_title(word)
        };
        if c.is_ascii_uppercase()
            && (previous.is_some_and(|p| p.is_ascii_lowercase()) || after_title)
        {
            out.push(' ');
        }
        out.push(c);
        previous = Some(c);
    }
    out
}

/// An English name with its title written as printed (`Mr.`, `Mrs.`, `Miss`, `Ms.`).
pub fn english_title_case(text: &str) -> String {
    let text = unglued_english(text);
    // Stray quote marks the recogniser reads at a word's start belong to no name.
    let mut words: Vec<String> = text
        .split_whitespace()
        .map(|w| w.trim_start_matches(['\'', '"', '`', ',']).to_string())
        .filter(|w| !w.is_empty())
        .collect();
    // A speck read before the title (`e Mrs. Siriporn Mankong`) or the `Name` label read with
    // a slip (`same Miss Kanokwan Boonma`) belongs to no name.
    let speck_or_label =
        |w: &str| w.chars().count() <= 2 || strsim::levenshtein(&w.to_lowercase(), "name") <= 1;
    if words.len() >= 3
        && speck_or_label(&words[0])
        && !is_english_title(&words[0])
        && is_english_title(&words[1])
    {
        words.remove(0);
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
        // A speck before a word; given name and surname glued.
        assert_eq!(
            repair_name_by_english("น.ส. ุกนกวรรณ พรหมมา", "Miss Kanokwan Phromma"),
            "น.ส. กนกวรรณ พรหมมา"
        );
        assert_eq!(
            repair_name_by_english("นาย ธนากรรักไทย", "Mr. Thanakorn Rakthai"),
            "นาย ธนากร รักไทย"
        );
        assert_eq!(
            repair_name_by_english("ผลศา", "Mr. Somsak Saengthong"),
            "ผลศา"
        );
        assert!(has_twin_title("นาย วิชัย ทองดี", "Mr. Wichai Thongdee"));
        assert!(!has_twin_title("นาง วิชัย ทองดี", "Mr. Wichai Thongdee"));
        assert!(!has_twin_title("ฒ ทอยก ค8ชรก", "Mr. Meenoy Koyruk"));
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
        // Spaces lost after the title's dot and between given name and surname.
        assert_eq!(
            english_title_case("Mr.Kittipong Srisuk"),
            "Mr. Kittipong Srisuk"
        );
        assert_eq!(
            english_title_case("Mr. ApichatJaidee"),
            "Mr. Apichat Jaidee"
        );
        assert_eq!(
            unglued_english("Mrs. Siriporn SAENGTHONG"),
            "Mrs. Siriporn SAENGTHONG"
        );
        assert_eq!(english_title_case("Mr.Apichat"), "Mr. Apichat");
        assert_eq!(
            english_title_case("e Mrs. Siriporn Mankong"),
            "Mrs. Siriporn Mankong"
        );
        // The `Name` label read with a slip.
        assert_eq!(
            english_title_case("same Miss Kanokwan Boonma"),
            "Miss Kanokwan Boonma"
        );
        assert_eq!(english_title_case("Ms Wong Lee"), "Ms. Wong Lee");
        assert_eq!(
            english_title_case("Mr. Thanakorn 'Suksawat"),
            "Mr. Thanakorn Suksawat"
        );
        assert_eq!(snap_religion("พุทธ"), Some("พุทธ"));
        assert_eq!(snap_religion("ฟุกทธ"), Some("พุทธ"));
        assert_eq!(snap_religion("อิสลาน"), Some("อิสลาม"));
        assert_eq!(snap_religion(""), None);
        assert_eq!(snap_religion("ศาล พุกธ"), Some("พุทธ"));
        assert_eq!(snap_religion("ศาสห อิสสม 77ฝร"), Some("อิสลาม"));
        assert_eq!(snap_religion("ศาลบงา ขิสลาม"), Some("อิสลาม"));
        assert_eq!(snap_religion("คล๓ พุกธ."), Some("พุทธ"));
        assert_eq!(snap_religion("13บ17 หมู่ที่ 5 ต.บางพูด จ.นนทบุรี"), None);
        assert_eq!(
            with_house_number("21อ91 หมู่ที่ 11 ต.ตลาด", "218/11 κ 11"),
            "218/11 หมู่ที่ 11 ต.ตลาด"
        );
        assert_eq!(with_house_number("หมู่ที่ 11", "κ 11"), "หมู่ที่ 11");
        assert_eq!(
            with_house_number("203/19 หมู่ที่ 11", "20/19 κ 11"),
            "203/19 หมู่ที่ 11"
        );
        assert_eq!(
            with_house_number("208/19 หมู่ที่ 11", "203/19 κ 11"),
            "203/19 หมู่ที่ 11"
        );
        assert_eq!(with_house_number("277/4 หมู่ที่ 5", "27714 κ 5"), "277/4 หมู่ที่ 5");
        // The Latin read lost the digits after its slash; the Thai read misread the slash.
        assert_eq!(with_house_number("24บ3 หมู่ที่ 3", "241/ κ 3"), "241/3 หมู่ที่ 3");
        assert_eq!(
            with_house_number("ลยู่ 24บ3 หมู่ที่ 3", "241/ κ 3"),
            "241/3 หมู่ที่ 3"
        );
        // Not where the two reads disagree on the leading digits.
        assert_eq!(with_house_number("54บ3 หมู่ที่ 3", "241/ κ 3"), "54บ3 หมู่ที่ 3");
        // The Thai read lost the slash and the digit before it; or only the slash.
        assert_eq!(
            with_house_number("103 หมู่ที่ 3", "104/  3 .  ."),
            "104/3 หมู่ที่ 3"
        );
        assert_eq!(with_house_number("1043 หมู่ที่ 3", "104/  3"), "104/3 หมู่ที่ 3");
        // Digits the Latin number does not start with, or nothing after them: not completed
        // (and the Thai read kept, the Latin number being incomplete).
        assert_eq!(with_house_number("93 หมู่ที่ 3", "104/  3"), "93 หมู่ที่ 3");
        assert_eq!(with_house_number("10 หมู่ที่ 3", "104/  3"), "10 หมู่ที่ 3");
        assert_eq!(with_house_number("277/4 หมู่ที่ 5", "27734 κ 5"), "27734 หมู่ที่ 5");
        // The Latin read merged two equal digits; the Thai read misread another one.
        assert_eq!(
            with_house_number("ลยู่ 229/12 หมู่ที่ 3", "25/12  3  n"),
            "225/12 หมู่ที่ 3"
        );
        // The Latin read dropped a digit the Thai read has: the Thai read, its doubled slash
        // stroke dropped.
        assert_eq!(
            with_house_number("170/|10 หมู่ที่ 7", "17/10  7   n"),
            "170/10 หมู่ที่ 7"
        );
        assert_eq!(with_doubled_digit("17/10", "170/10"), None);
        assert_eq!(with_doubled_digit("25/12", "291/12"), None);
        assert_eq!(with_doubled_digit("12/3", "112/3"), None);
        assert_eq!(thai_address("10/10 หมู่ที่ 4 ๓.ตลาด"), "10/10 หมู่ที่ 4 ต.ตลาด");
        assert_eq!(
            thai_address("203/19 หมู่ที่.11 แขวงลาดยาว"),
            "203/19 หมู่ที่ 11 แขวงลาดยาว"
        );
        assert_eq!(thai_address("หมู่ที่. 11 จ.สงขลา"), "หมู่ที่ 11 จ.สงขลา");
        assert_eq!(
            thai_address("203/19 หมู่ที่-.11 แขวงลาดยาว"),
            "203/19 หมู่ที่ 11 แขวงลาดยาว"
        );
        assert_eq!(thai_address("ต.ตลาด อ.เมือง"), "ต.ตลาด อ.เมือง");
        assert_eq!(
            thai_address("5/11 เขตบางรัก กรุงเภพมหาบคร."),
            "5/11 เขตบางรัก กรุงเภพมหาบคร"
        );
        assert_eq!(thai_address("5/11 อ.เมือง จ."), "5/11 อ.เมือง จ.");
        // Abbreviations read with a slip at the end of a provincial address.
        assert_eq!(
            address_abbreviations("252/4 หมู่ที่ 1 ตต.ตลาด อ.เมืองสุราษฎร์ธานี จ.สุราษฎร์ธานี"),
            "252/4 หมู่ที่ 1 ต.ตลาด อ.เมืองสุราษฎร์ธานี จ.สุราษฎร์ธานี"
        );
        assert_eq!(
            address_abbreviations("275/15 หมู่ที่ 1 ตด.หาดใหญ่ อ.หาดใหญ่ จ.สงขลา"),
            "275/15 หมู่ที่ 1 ต.หาดใหญ่ อ.หาดใหญ่ จ.สงขลา"
        );
        assert_eq!(
            address_abbreviations("275/4 หมู่ที่ 11 ต.ในเมือง อ.เมืองขอนแก่น จะขอนแก่น"),
            "275/4 หมู่ที่ 11 ต.ในเมือง อ.เมืองขอนแก่น จ.ขอนแก่น"
        );
        assert_eq!(
            address_abbreviations("42/7 คมู่กี่ 4 ต.ช้างเผือก อ.เมืองเชียงใหม่ จ.เชียงใหม่"),
            "42/7 หมู่ที่ 4 ต.ช้างเผือก อ.เมืองเชียงใหม่ จ.เชียงใหม่"
        );
        // Bangkok addresses and names starting with those letters: unchanged.
        let bangkok = "203/19 หมู่ที่ 11 แขวงลาดยาว เขตจตุจักร กรุงเทพมหานคร";
        assert_eq!(address_abbreviations(bangkok), bangkok);
        let unmarked = "12 ตลาด อ่างทอง จันทบุรี";
        assert_eq!(address_abbreviations(unmarked), unmarked);
        // Right after the house number the village label may carry three slips.
        assert_eq!(
            address_abbreviations("182/9 บู่กี่ 5 ต.หาดใหญ่ อ.หาดใหญ่ จ.สงขลา"),
            "182/9 หมู่ที่ 5 ต.หาดใหญ่ อ.หาดใหญ่ จ.สงขลา"
        );
        assert_eq!(
            address_abbreviations("260/6 หมงู้หี 5 ต.ช้างเผือก อ.เมืองเชียงใหม่ จ.เชียงใหม่"),
            "260/6 หมู่ที่ 5 ต.ช้างเผือก อ.เมืองเชียงใหม่ จ.เชียงใหม่"
        );
        assert_eq!(
            address_abbreviations("ต.บู่กี่ 5 อ.หาดใหญ่ จ.สงขลา"),
            "ต.บู่กี่ 5 อ.หาดใหญ่ จ.สงขลา"
        );
        // The village number glued to its label or the house number, or its label lost.
        for (read, printed) in [
            (
                "79/3 หมู่ที่9 ต.ตลาด อ.เมืองสุราษฎร์ธานี จ.สุราษฎร์ธานี",
                "79/3 หมู่ที่ 9 ต.ตลาด อ.เมืองสุราษฎร์ธานี จ.สุราษฎร์ธานี",
            ),
            (
                "79/3 หมู่กี่11 ต.ตลาด อ.เมือง จ.ตราด",
                "79/3 หมู่ที่ 11 ต.ตลาด อ.เมือง จ.ตราด",
            ),
            (
                "226/13 5 แขวงสุริยวงศ์ เขตบางรัก กรุงเทพมหานคร",
                "226/13 หมู่ที่ 5 แขวงสุริยวงศ์ เขตบางรัก กรุงเทพมหานคร",
            ),
            (
                "105/12หมู่ที่4 ต.ในเมือง อ.เมืองขอนแก่น จ.ขอนแก่น",
                "105/12 หมู่ที่ 4 ต.ในเมือง อ.เมืองขอนแก่น จ.ขอนแก่น",
            ),
            (
                "2848 ผู่กี่5ต.บางพูด อ.ปากเกร็ด จ.นนทบุรี",
                "2848 หมู่ที่ 5 ต.บางพูด อ.ปากเกร็ด จ.นนทบุรี",
            ),
            (
                "88/17 หมู่ที่ 11แขวงลาดยาว เขตจตุจักร กรุงเทพมหานคร",
                "88/17 หมู่ที่ 11 แขวงลาดยาว เขตจตุจักร กรุงเทพมหานคร",
            ),
            // A house number's slash read as a bar.
            (
                "277|4 หมู่ที่ 5 ต.บางพูด อ.ปากเกร็ด จ.นนทบุรี",
                "277/4 หมู่ที่ 5 ต.บางพูด อ.ปากเกร็ด จ.นนทบุรี",
            ),
        ] {
            assert_eq!(address_abbreviations(&thai_address(read)), printed);
        }
        // A number that is not the village number's place, or a word that is not its label.
        let kept = "226/13 ซอย 5 แขวงสุริยวงศ์ เขตบางรัก กรุงเทพมหานคร";
        assert_eq!(address_abbreviations(kept), kept);
        let kept = "12 ถนนพระราม4 แขวงสุริยวงศ์ เขตบางรัก กรุงเทพมหานคร";
        assert_eq!(address_abbreviations(&thai_address(kept)), kept);
    }

    #[test]
    fn dotted_title_without_its_dots() {
        let miss = Some("Miss Rattana Chaimongkol");
        assert_eq!(thai_name("บ ส รัตนา ชัยมงคล", miss), "น.ส. รัตนา ชัยมงคล");
        assert_eq!(thai_name("น ส มาลี วงศ์สวัสดิ์", miss), "น.ส. มาลี วงศ์สวัสดิ์");
        assert_eq!(thai_name("๒ บ.สปิยะนุช บุญมา", miss), "น.ส. ปิยะนุช บุญมา");
        // The first dot lost instead (`บส.`).
        assert_eq!(thai_name(".@ บส.กบกวรมณ บุญมท", miss), "น.ส. กบกวรมณ บุญมท");
        // Not two letters that are far from the title, nor without the twin's title.
        assert_eq!(thai_name("ก ข รัตนา ชัยมงคล", miss), "ก ข รัตนา ชัยมงคล");
        assert_eq!(thai_name("บ ส รัตนา ชัยมงคล", None), "บ ส รัตนา ชัยมงคล");
        assert_eq!(
            thai_name("บ ส รัตนา ชัยมงคล", Some("Mr. Rattana Chaimongkol")),
            "บ ส รัตนา ชัยมงคล"
        );
    }

    #[test]
    fn given_name_and_surname_glued_after_a_slipped_title() {
        // A seed-211 licence photo: `นาง` read `บาจ`, the two names as one word.
        let english = "Mrs. Siriporn Jaidee";
        let read = thai_name(". บาจ ศิริพรใจดี", Some(english));
        assert_eq!(read, "นาง ศิริพรใจดี");
        assert_eq!(repair_name_by_english(&read, english), "นาง ศิริพร ใจดี");
        // Not when the twin does not cut the word (a garbled read), nor without a twin.
        assert_eq!(thai_name("บาจ กขคงจฉช", Some(english)), "บาจ กขคงจฉช");
        assert_eq!(thai_name("บาจ ศิริพรใจดี", None), "บาจ ศิริพรใจดี");
    }

    #[test]
    fn title_glued_to_the_given_name_with_a_slip() {
        let mr = Some("Mr. Wichai Saksit");
        assert_eq!(thai_name("บายวิชัย ศักดิสิทธิ์", mr), "นาย วิชัย ศักดิสิทธิ์");
        // Too far from the twin's title, or no twin title to go by: left as read.
        assert_eq!(thai_name("ทองวิชัย ศักดิสิทธิ์", mr), "ทองวิชัย ศักดิสิทธิ์");
        assert_eq!(thai_name("บายวิชัย ศักดิสิทธิ์", None), "บายวิชัย ศักดิสิทธิ์");
        // Nothing left after the title but a mark.
        assert_eq!(thai_name("บายิ ศักดิสิทธิ์", mr), "บายิ ศักดิสิทธิ์");
    }

    #[test]
    fn twin_title_with_two_slips() {
        assert_eq!(
            thai_name("นจ บภัสสร ศรีสุข", Some("Mrs. Napatsorn Srisuk")),
            "นาง บภัสสร ศรีสุข"
        );
        assert_eq!(
            thai_name("น.#ี: รัตนา ศักดิ์สิทธิ์", Some("Miss Rattana Saksit")),
            "น.ส. รัตนา ศักดิ์สิทธิ์"
        );
        // A label remnant before it is dropped; not where more than a given name and surname
        // follow.
        assert_eq!(
            thai_name("ชอ นจ บภัสสร ศรีสุข", Some("Mrs. Napatsorn Srisuk")),
            "นาง บภัสสร ศรีสุข"
        );
        assert_eq!(
            thai_name("นจ บภัสสร ศรีสุข ดี", Some("Mrs. Napatsorn Srisuk")),
            "นจ บภัสสร ศรีสุข ดี"
        );
    }

    #[test]
    fn rn_and_m_settled_by_the_thai_name() {
        assert_eq!(
            english_by_thai("Mr. Thanakom Phromma", "นาย ธนากร พรหมมา"),
            "Mr. Thanakorn Phromma"
        );
        assert_eq!(
            english_by_thai("Mr. Thanakom Phromma", "นาย ธนาทร พรหมบา"),
            "Mr. Thanakorn Phromma"
        );
        assert_eq!(
            english_by_thai("Mr. Thanakorn Phrornma", "นาย ธนากร พรหมมา"),
            "Mr. Thanakorn Phromma"
        );
        // `r` read `m` before `n`; a thin `i` lost.
        assert_eq!(
            english_by_thai("Mr. Thanakomn Boonma", "นาย ธนากร บุญมา"),
            "Mr. Thanakorn Boonma"
        );
        assert_eq!(
            english_by_thai("Mr. Kttipong Rakthai", "นาย กิตติพงษ์ รักไทย"),
            "Mr. Kittipong Rakthai"
        );
        assert_eq!(
            english_by_thai("Mrs. Wilawan Jaidee", "นาง วิไลวรรณ ใจดี"),
            "Mrs. Wilaiwan Jaidee"
        );
        // Not where the Thai word has no such vowel, where it spells the read better, nor
        // where it is no listed name (a garbled read).
        assert_eq!(
            english_by_thai("Miss Siriporn Rakthai", "น.ส. ศีิริพร รักไทย"),
            "Miss Siriporn Rakthai"
        );
        assert_eq!(
            english_by_thai("Mr. Somchai Rakthai", "นาย สมชาย รักไทย"),
            "Mr. Somchai Rakthai"
        );
        assert_eq!(
            english_by_thai("Miss Wilawan Jaidee", "น.ส. วิลาวัลย์ ใจดี"),
            "Miss Wilawan Jaidee"
        );
        // Not towards a letter the Thai read lacks (ร lost: `ศิริพ5`).
        assert_eq!(
            english_by_thai("Miss Siriporn Saengthong", "น.ส. ศิริพ5 แสงทอง"),
            "Miss Siriporn Saengthong"
        );
        // Right spellings stay; different word counts are left alone.
        assert_eq!(
            english_by_thai("Mrs. Malee Phromma", "นาง มาลี พรหมมา"),
            "Mrs. Malee Phromma"
        );
        assert_eq!(
            english_by_thai("Mr. Thanakom", "นาย ธนากร พรหมมา"),
            "Mr. Thanakom"
        );
    }

    #[test]
    fn house_number_drops_label_remnants() {
        assert_eq!(
            with_house_number("ลยู่ 229/12 หมู่ที่ 3", "229/12  3"),
            "229/12 หมู่ที่ 3"
        );
        assert_eq!(
            with_house_number(". 12919 หมู่ที่ 7", "129/19  7"),
            "129/19 หมู่ที่ 7"
        );
        // Nothing to take from the Latin read: left as read.
        assert_eq!(
            with_house_number("ลยู่ 229/12 หมู่ที่ 3", "a. b."),
            "ลยู่ 229/12 หมู่ที่ 3"
        );
    }
    #[test]
    fn address_regions_trimmed_to_the_house_number() {
        assert_eq!(
            trim_address_region(", 6ค 218/11 หมู่ที่ 11 ต.ตลาด จ.สุราษฎร์ธานี |."),
            "218/11 หมู่ที่ 11 ต.ตลาด จ.สุราษฎร์ธานี"
        );
        // No house number near the start: only the trailing marks go.
        assert_eq!(
            trim_address_region("หมู่ที่ 4 ต.ตลาด อ.เมือง ."),
            "หมู่ที่ 4 ต.ตลาด อ.เมือง"
        );
        assert_eq!(trim_address_region(""), "");
        assert_eq!(trim_address_region("| ."), "");
    }
    #[test]
    fn reads_of_one_name_settled_by_twin_then_majority() {
        let english = "Mr. Wichai Saengthong";
        let read = |thai: &str| (TwinRepair::new(thai.to_string(), english), 0.9);
        // Two listed names romanised alike (ี and ิ are both `i`): neither the twin nor the
        // list can choose, a third read does.
        let (first, second) = ("นาย วีชัย แสงทอง", "นาย วิชัย แสงทอง");
        assert_eq!(
            pick_read(read(first), read(second), || read(second))
                .0
                .repaired,
            second
        );
        assert_eq!(
            pick_read(read(first), read(second), || read(first))
                .0
                .repaired,
            first
        );
        // No majority: the first read stays.
        let third = "นาย วิจัย แสงทอง";
        assert_eq!(
            pick_read(read(first), read(second), || read(third))
                .0
                .repaired,
            first
        );
        // A read that lost a word is replaced by one with the twin's word count, without a
        // third read.
        let lost = "นาย วิชัย";
        assert_eq!(
            pick_read(read(lost), read(second), || unreachable!())
                .0
                .repaired,
            second
        );
        assert_eq!(twin_disagreement("ณัฐธิดา", english), None);
        assert!(read(second).0.disagreement.is_some());
    }

    #[test]
    fn two_reads_each_right_in_one_word_are_combined() {
        let english = "Mrs. Rattana Saksit";
        let read = |thai: &str| (TwinRepair::new(thai.to_string(), english), 0.9);
        let (first, second) = ("นาง รัตนา ศักดส์สทร์", "นาง รัตพนา ศักดิ์สิทธิ์");
        assert_eq!(
            pick_read(read(first), read(second), || read(first))
                .0
                .repaired,
            "นาง รัตนา ศักดิ์สิทธิ์"
        );
        // Different titles do not line up.
        assert_eq!(
            word_by_word(&read(first).0, &read("นาย รัตพนา ศักดิ์สิทธิ์").0),
            None
        );
    }
}
