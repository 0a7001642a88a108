//! How well a Thai name agrees with the English romanisation printed beside it on the same card,
//! and the repair of Thai letters the recogniser confuses, chosen by that agreement.
//!
//! Thai cards print the holder's name twice: in Thai (`ทองดี`) and romanised (`Thongdee`,
//! RTGS or the popular spellings people register). The Latin recogniser reads the English name
//! reliably; the Thai recogniser confuses letters of similar shape on the cards' loopless faces
//! (ด read ค, ฐ read ช, ...). Each Thai letter maps to the Latin spellings it is romanised as
//! (a consonant class: ด/ฎ → `d`/`t`, ค/ข/ฆ → `kh`/`k`, ฐ/ท/ธ/ถ → `th`/`t`, ช/ฉ/ฌ → `ch`/`j`);
//! [`agreement`] aligns a Thai word's possible romanisations with the English spelling (a
//! weighted edit distance over the letters' alternatives), and [`repair_by_romanisation`]
//! swaps confusable letters only where that strictly lowers the distance: evidence from the
//! card itself, no list of names.

/// One Thai letter's possible Latin spellings, each with the cost of choosing it (0 for the
/// usual spelling of the letter starting a syllable, more for the other forms).
type Spellings = Vec<(&'static str, f32)>;

/// The Latin spellings of a Thai consonant: (syllable-initial forms, syllable-final forms).
/// Popular spellings sit beside RTGS ones (`j` for จ, `p` for พ, `rn` for a final ร).
fn consonant(c: char) -> Option<(&'static [&'static str], &'static [&'static str])> {
    Some(match c {
        'ก' => (&["k", "g"], &["k"]),
        'ข' | 'ฃ' | 'ค' | 'ฅ' | 'ฆ' => (&["kh", "k"], &["k"]),
        'ง' => (&["ng"], &["ng"]),
        'จ' => (&["ch", "j"], &["t"]),
        'ฉ' | 'ฌ' => (&["ch"], &["t"]),
        'ช' => (&["ch", "j"], &["t"]),
        'ซ' => (&["s"], &["t"]),
        'ญ' => (&["y"], &["n"]),
        'ฎ' | 'ด' => (&["d"], &["t"]),
        'ฏ' | 'ต' => (&["t"], &["t"]),
        'ฐ' | 'ฑ' | 'ฒ' | 'ถ' | 'ท' | 'ธ' => (&["th", "t"], &["t"]),
        'ณ' | 'น' => (&["n"], &["n"]),
        'บ' => (&["b"], &["p", "b"]),
        'ป' => (&["p"], &["p"]),
        'ผ' | 'พ' | 'ภ' => (&["ph", "p"], &["p"]),
        'ฝ' | 'ฟ' => (&["f"], &["p", "f"]),
        'ม' => (&["m"], &["m"]),
        'ย' => (&["y"], &["i", "y", ""]),
        'ร' => (&["r"], &["n", "rn", "r"]),
        'ล' | 'ฬ' => (&["l"], &["n", "l"]),
        'ว' => (&["w"], &["o", "w", ""]),
        'ศ' | 'ษ' | 'ส' => (&["s"], &["t", "s"]),
        'ห' => (&["h", ""], &[""]),
        'อ' => (&["", "o"], &["o", ""]),
        'ฮ' => (&["h"], &[""]),
        _ => return None,
    })
}

/// Consonants whose second initial spelling is as usual as the first on cards (`k` for ค in
/// `Mankong`, `p` for พ in `Nattapon`, `j` for จ in `Jaidee`).
fn equally_usual(c: char) -> bool {
    matches!(c, 'ข' | 'ค' | 'ฆ' | 'จ' | 'ผ' | 'พ' | 'ภ')
}

/// The Latin spellings of a Thai vowel sign (tone marks and signs that are not sounded: `""`).
fn vowel(c: char) -> Option<&'static [&'static str]> {
    Some(match c {
        'ะ' | 'ั' => &["a"],
        'า' => &["a", "aa"],
        'ำ' => &["am"],
        'ิ' => &["i"],
        'ี' => &["i", "ee"],
        'ึ' | 'ื' => &["ue", "u"],
        'ุ' => &["u", "oo"],
        'ู' => &["u", "oo"],
        'เ' => &["e", "ae"],
        'แ' => &["ae", "a", "e"],
        'โ' => &["o"],
        'ใ' | 'ไ' => &["ai"],
        'ฤ' => &["rue", "ri", "rue"],
        // Mai han-akat's twin, the tone marks, maitaikhu, nikhahit: not spelled.
        '็' | '่' | '้' | '๊' | '๋' | 'ํ' => &[""],
        _ => return None,
    })
}

/// Signs that are not spelled (tone marks, maitaikhu, nikhahit: [`vowel`]'s `""`).
fn forms_are_silent(c: char) -> bool {
    vowel(c) == Some(&[""])
}

/// The vowels written before the consonant they follow in speech.
fn is_preposed(c: char) -> bool {
    matches!(c, 'เ' | 'แ' | 'โ' | 'ใ' | 'ไ')
}

/// Thanthakhat: the letter (and its vowel sign) before it is not sounded.
const SILENCER: char = '์';

/// A Thai word as the sequence of its letters' possible spellings, in spoken order.
fn spellings(thai: &str) -> Vec<Spellings> {
    let mut out: Vec<Spellings> = Vec::new();
    // Index in `out` of the last consonant, for a silencer to mute it and what follows it, and
    // of the consonant right before a ร (no vowel between), which a silencer on the ร may mute
    // too (`อินทร์` in, `จันทร์` chan, `ศาสตร์` sat).
    let mut last_consonant: Option<usize> = None;
    let mut cluster_before: Option<usize> = None;
    let mut held_preposed: Option<(char, Spellings)> = None;
    // Index in `out` of a เ spoken after its consonant, while its syllable has no other vowel:
    // with ิ it is the vowel `oe` (`เดิน` doen, popularly `dern`; `ประเสริฐ` Prasert).
    let mut open_e: Option<usize> = None;
    let mut chars = thai.chars().peekable();
    while let Some(c) = chars.next() {
        let word_ends = chars.peek().is_none_or(|next| next.is_whitespace());
        if c == SILENCER {
            if let Some(at) = last_consonant {
                for letter in &mut out[at..] {
                    letter.push(("", 0.0));
                }
            }
            if let Some(at) = cluster_before {
                out[at].push(("", 0.1));
            }
            continue;
        }
        // Ro han: รร after a consonant is the vowel `a`, `an` when no final consonant follows
        // (`วรรณ` wan, `บรรจง` banchong).
        if c == 'ร'
            && chars.peek() == Some(&'ร')
            && last_consonant == Some(out.len().wrapping_sub(1))
        {
            chars.next();
            out.push(vec![("a", 0.0), ("an", 0.0)]);
            last_consonant = None;
            cluster_before = None;
            continue;
        }
        if c == '\u{0E34}' {
            if let Some(at) = open_e.take() {
                out[at].extend([("oe", 0.0), ("er", 0.0)]);
                out.push(vec![("", 0.0), ("i", 0.25)]);
                continue;
            }
        }
        if let Some((initial, last)) = consonant(c) {
            let mut forms: Spellings = Vec::new();
            for (n, s) in initial.iter().enumerate() {
                forms.push((
                    *s,
                    if n == 0 || equally_usual(c) {
                        0.0
                    } else {
                        0.25
                    },
                ));
            }
            for s in last.iter() {
                forms.push((*s, 0.25));
            }
            // A consonant ending one syllable and starting the next (`ณัฐพล` `Nattaphon`).
            for f in last.iter() {
                for i in initial.iter() {
                    if let Some(joined) = joined(f, i) {
                        forms.push((joined, 0.1));
                    }
                }
            }
            cluster_before = last_consonant.filter(|at| c == 'ร' && at + 1 == out.len());
            last_consonant = Some(out.len());
            out.push(forms);
            if let Some((vowel, held)) = held_preposed.take() {
                if vowel == 'เ' {
                    open_e = Some(out.len());
                }
                out.push(held);
            }
            continue;
        }
        if let Some(forms) = vowel(c) {
            let mut forms: Spellings = forms
                .iter()
                .enumerate()
                .map(|(n, s)| (*s, if n == 0 { 0.0 } else { 0.1 }))
                .collect();
            // A short i or u ending a word of Pali or Sanskrit origin is often not sounded
            // (`ชาติ` chat, `สมบัติ` sombat, `ธาตุ` that).
            if word_ends && matches!(c, 'ิ' | 'ุ') {
                forms.push(("", 0.1));
            }
            if is_preposed(c) {
                if let Some((_, previous)) = held_preposed.replace((c, forms)) {
                    out.push(previous);
                }
            } else {
                out.push(forms);
            }
            // Another vowel (not a tone mark) closes the เ syllable.
            if !forms_are_silent(c) {
                open_e = None;
            }
        } else if c.is_whitespace() {
            open_e = None;
        }
        // Anything else (spaces, dots, digits, marks of other scripts) is not spelled.
    }
    out.extend(held_preposed.map(|(_, forms)| forms));
    out
}

/// A Thai word spelled with each letter's first (most usual) spelling: a romanisation that
/// [`agreement`] scores 0, for measurements on names that have no printed twin.
#[cfg(test)]
pub(crate) fn plainest_spelling(thai: &str) -> String {
    spellings(thai)
        .iter()
        .filter_map(|forms| forms.first().map(|(s, _)| *s))
        .collect()
}

/// A syllable-final spelling and the next syllable's initial spelling run together, when the
/// pair is one Thai linking syllables produce (`t` + `th`: `tth`).
fn joined(last: &str, initial: &str) -> Option<&'static str> {
    const JOINED: [(&str, &str, &str); 16] = [
        ("k", "k", "kk"),
        ("k", "kh", "kkh"),
        ("k", "g", "kg"),
        ("t", "t", "tt"),
        ("t", "th", "tth"),
        ("t", "ch", "tch"),
        ("t", "j", "tj"),
        ("t", "d", "td"),
        ("t", "s", "ts"),
        ("p", "p", "pp"),
        ("p", "ph", "pph"),
        ("p", "b", "pb"),
        ("n", "n", "nn"),
        ("n", "l", "nl"),
        ("n", "r", "nr"),
        ("m", "m", "mm"),
    ];
    JOINED
        .iter()
        .find(|(l, i, _)| *l == last && *i == initial)
        .map(|(_, _, joined)| *joined)
}

/// The cost of leaving an English letter unmatched: vowels (Thai writes many implicitly) and
/// `h` (aspiration, dropped or added by popular spellings) cost less than other consonants.
fn extra_cost(c: u8) -> f32 {
    match c {
        b'a' | b'e' | b'i' | b'o' | b'u' => 0.5,
        b'h' => 0.3,
        _ => 1.0,
    }
}

/// The cost of writing `a` where the English has `b`: vowels for vowels cost half.
fn swap_cost(a: u8, b: u8) -> f32 {
    let is_vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
    if a == b {
        0.0
    } else if is_vowel(a) && is_vowel(b) {
        0.5
    } else {
        1.0
    }
}

/// Weighted edit distance between one spelling and a stretch of the English name.
fn distance(spelling: &[u8], english: &[u8]) -> f32 {
    let mut row: Vec<f32> = std::iter::once(0.0)
        .chain(english.iter().scan(0.0, |sum, c| {
            *sum += extra_cost(*c);
            Some(*sum)
        }))
        .collect();
    for s in spelling {
        let mut diagonal = row[0];
        row[0] += extra_cost(*s);
        for (j, e) in english.iter().enumerate() {
            let next = (diagonal + swap_cost(*s, *e))
                .min(row[j + 1] + extra_cost(*s))
                .min(row[j] + extra_cost(*e));
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[english.len()]
}

/// How far a Thai name is from its printed romanisation: 0 when one of its letters' spellings
/// gives the English exactly; each unmatched or differing letter adds to it. Only letters count
/// (spaces, dots, titles' punctuation and case are ignored), so compare like with like: the
/// given name and surname of both, without titles.
pub fn agreement(thai: &str, english: &str) -> f32 {
    let english: Vec<u8> = english
        .bytes()
        .filter(u8::is_ascii_alphabetic)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    let letters = spellings(thai);
    let m = english.len();
    // best[j]: the least cost of spelling the letters so far as english[..j].
    let mut best: Vec<f32> = (0..=m)
        .map(|j| english[..j].iter().map(|c| extra_cost(*c)).sum())
        .collect();
    for forms in &letters {
        let mut next = vec![f32::INFINITY; m + 1];
        for (j, from) in best.iter().enumerate() {
            for (spelling, cost) in forms {
                let longest = (j + spelling.len() + 2).min(m);
                for (k, slot) in next.iter_mut().enumerate().take(longest + 1).skip(j) {
                    let total = from + cost + distance(spelling.as_bytes(), &english[j..k]);
                    if total < *slot {
                        *slot = total;
                    }
                }
            }
        }
        // English letters no Thai letter spells (implicit vowels) between two letters.
        for j in 1..=m {
            let skipped = next[j - 1] + extra_cost(english[j - 1]);
            if skipped < next[j] {
                next[j] = skipped;
            }
        }
        best = next;
    }
    best[m]
}

/// What the Thai recogniser reads for a printed letter on the cards' faces, measured on
/// generated cards (docs/plugins/th.md), longest reads first: each read with the letters that
/// may really be printed there. Two look-alikes side by side (`ดค`) are the recogniser writing
/// both of its guesses for one letter; `ชู` and `ชร` are ฐ whose tail was read as the vowel
/// sign ู or as a second letter. `5` is ร on a photo (a digit is never printed in a name).
const LOOKALIKES: [(&str, &[&str]); 23] = [
    ("ชร", &["ฐ"]),
    ("ดค", &["ด", "ค"]),
    ("คด", &["ด", "ค"]),
    ("ชฐ", &["ฐ", "ช"]),
    ("ฐช", &["ฐ", "ช"]),
    ("ชู", &["ฐ"]),
    ("งจ", &["ง"]),
    ("ค", &["ด", "ก"]),
    ("ด", &["ค"]),
    ("ก", &["ค"]),
    ("ต", &["ด"]),
    ("ช", &["ฐ"]),
    ("ฐ", &["ช"]),
    ("จ", &["ง"]),
    ("บ", &["น", "ม"]),
    ("ลส", &["ล", "ส"]),
    ("สล", &["ล", "ส"]),
    ("ส", &["ล"]),
    ("ล", &["ส"]),
    ("โ", &["ไ"]),
    ("ไ", &["โ"]),
    ("ื", &["ิ"]),
    ("5", &["ร"]),
];

/// At most this many spellings of a word are tried (the product of each look-alike's choices;
/// further look-alikes are left as read).
const MAX_CANDIDATES: usize = 128;

/// Agreement must improve by at least this much for a change to be made.
const MARGIN: f32 = 0.1;

/// A word cut into pieces: each piece is either text kept as read or a look-alike read with
/// its alternatives (the read itself first).
fn pieces(word: &str) -> Vec<Vec<&str>> {
    let mut out: Vec<Vec<&str>> = Vec::new();
    let mut candidates = 1;
    let mut rest = word;
    while let Some(c) = rest.chars().next() {
        let found = LOOKALIKES
            .iter()
            .find(|(read, _)| rest.starts_with(read))
            .filter(|(_, printed)| candidates * (printed.len() + 1) <= MAX_CANDIDATES);
        let (piece, len) = match found {
            Some((read, printed)) => {
                candidates *= printed.len() + 1;
                let mut piece = vec![&rest[..read.len()]];
                piece.extend(printed.iter().copied());
                (piece, read.len())
            }
            None => (vec![&rest[..c.len_utf8()]], c.len_utf8()),
        };
        out.push(piece);
        rest = &rest[len..];
    }
    out
}

/// One Thai word with the letters the recogniser confuses put back where its romanisation
/// printed on the same card (`english`, one word) strictly prefers it: a look-alike swapped
/// (ค→ด, ช→ฐ, ...) or one of two look-alikes read side by side dropped (`ดค`). `None` when no
/// change improves the agreement by `MARGIN`, or when two different changes tie for best.
pub fn repair_by_romanisation(thai: &str, english: &str) -> Option<String> {
    if english.bytes().all(|b| !b.is_ascii_alphabetic()) {
        return None;
    }
    let pieces = pieces(thai);
    let choosable: Vec<usize> = (0..pieces.len()).filter(|i| pieces[*i].len() > 1).collect();
    if choosable.is_empty() {
        return None;
    }
    let original = agreement(thai, english);
    let mut best: Option<(f32, usize, String)> = None;
    let mut tied = false;
    let mut choice = vec![0usize; pieces.len()];
    loop {
        // The next combination (a mixed-radix counter); the all-zero one is the read itself.
        let mut at = 0;
        loop {
            let Some(i) = choosable.get(at) else {
                return match (best, tied) {
                    (Some((cost, _, text)), false) if cost + MARGIN <= original => Some(text),
                    _ => None,
                };
            };
            choice[*i] += 1;
            if choice[*i] < pieces[*i].len() {
                break;
            }
            choice[*i] = 0;
            at += 1;
        }
        let changes = choice.iter().filter(|c| **c > 0).count();
        let text: String = pieces.iter().zip(&choice).map(|(p, c)| p[*c]).collect();
        let cost = agreement(&text, english);
        match &best {
            Some((b, n, _)) if cost > *b + 1e-4 || (cost > *b - 1e-4 && changes > *n) => {}
            Some((b, n, _)) if cost > *b - 1e-4 && changes == *n => tied = true,
            _ => {
                best = Some((cost, changes, text));
                tied = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agreement_prefers_the_printed_romanisation() {
        // The right spelling agrees better than the recogniser's confusion.
        assert!(agreement("ทองดี", "Thongdee") < agreement("ทองคี", "Thongdee"));
        assert!(agreement("ณัฐพล", "Nattapon") < agreement("ณัชพล", "Nattapon"));
        assert!(agreement("ใจดี", "Jaidee") < agreement("ใจคี", "Jaidee"));
        assert!(agreement("มั่นคง", "Mankong") < agreement("มั่นดง", "Mankong"));
        // A final short vowel that is not sounded, or is.
        let unsounded = agreement("อภิชาติ", "Apichat") - agreement("อภิชาต", "Apichat");
        assert!(unsounded <= 0.1 + 1e-4);
        assert!(agreement("อภิชาติ", "Apichati") <= agreement("อภิชาติ", "Apichat"));
        // Silent letters (thanthakhat) and preposed vowels.
        assert!(agreement("ศักดิ์สิทธิ์", "Saksit") < 1.0);
        assert!(agreement("แสงทอง", "Saengthong") < 1.0);
        assert!(agreement("เพชรรัตน์", "Phetcharat") < 2.0);
        // Ro han (รร), two letters under one silencer, the vowel เ–ิ.
        assert!(agreement("กนกวรรณ", "Kanokwan") <= 1.0);
        assert!(agreement("วรรณา", "Wanna") < 0.1);
        assert!(agreement("อินทร์แก้ว", "Inkaew") <= 0.1);
        assert!(agreement("ประเสริฐ", "Prasert") < agreement("ประเสรช", "Prasert") + 0.1);
        assert!(agreement("เดิน", "Dern") < 0.1);
        assert!(agreement("เดิน", "Doen") < 0.1);
        // Unrelated names agree badly.
        assert!(agreement("สมชาย", "Wilaiwan") > 4.0);
    }

    #[test]
    fn confusions_are_repaired_only_on_evidence() {
        assert_eq!(
            repair_by_romanisation("ทองคี", "Thongdee").as_deref(),
            Some("ทองดี")
        );
        assert_eq!(
            repair_by_romanisation("ณัชพล", "Nattapon").as_deref(),
            Some("ณัฐพล")
        );
        // Both look-alikes written for one letter.
        assert_eq!(
            repair_by_romanisation("ทองดคี", "Thongdee").as_deref(),
            Some("ทองดี")
        );
        // Already right: nothing to change.
        assert_eq!(
            repair_by_romanisation("ศิริพ5", "Siriporn").as_deref(),
            Some("ศิริพร")
        );
        assert_eq!(repair_by_romanisation("ทองดี", "Thongdee"), None);
        assert_eq!(repair_by_romanisation("มั่นคง", "Mankong"), None);
        assert_eq!(repair_by_romanisation("ชัยมงคล", "Chaimongkol"), None);
        // No English twin, or no confusable letter: nothing to change.
        assert_eq!(repair_by_romanisation("ทองคี", ""), None);
        assert_eq!(repair_by_romanisation("มาลี", "Malee"), None);
        // ฐ read as ช and the vowel sign ู, or as both look-alikes.
        assert_eq!(
            repair_by_romanisation("ณัชูพล", "Nattapon").as_deref(),
            Some("ณัฐพล")
        );
        assert_eq!(
            repair_by_romanisation("ณัชฐพล", "Nattapon").as_deref(),
            Some("ณัฐพล")
        );
        assert_eq!(
            repair_by_romanisation("ณัชรธิดา", "Natthida").as_deref(),
            Some("ณัฐธิดา")
        );
        assert_eq!(
            repair_by_romanisation("มาลสี", "Malee").as_deref(),
            Some("มาลี")
        );
        assert_eq!(repair_by_romanisation("ศรีสุข", "Srisuk"), None);
        // Vowel look-alikes the romanisation tells apart (ไ `ai`, โ `o`; ิ `i`, ื `ue`).
        assert_eq!(
            repair_by_romanisation("วิโลวรรณ", "Wilaiwan").as_deref(),
            Some("วิไลวรรณ")
        );
        assert_eq!(
            repair_by_romanisation("พืมพ์ชนก", "Pimchanok").as_deref(),
            Some("พิมพ์ชนก")
        );
        // Final ช and ฐ are both romanised `t`: no evidence, left as read.
        assert_eq!(repair_by_romanisation("ประเสริช", "Prasert"), None);
    }
}
