//! The closed vocabularies printed on the e-KTP (Dukcapil code lists) and the repair of OCR
//! confusions by field type.

use kycd_plugin_api::diacritics::base_letter;

/// `Jenis Kelamin` values.
pub const GENDERS: &[&str] = &["LAKI-LAKI", "PEREMPUAN"];

/// `Agama` values (both spellings of Catholic and Buddhist occur on cards).
pub const RELIGIONS: &[&str] = &[
    "ISLAM",
    "KRISTEN",
    "KATHOLIK",
    "KATOLIK",
    "HINDU",
    "BUDHA",
    "BUDDHA",
    "KONGHUCU",
    "KEPERCAYAAN TERHADAP TUHAN YME",
];

/// `Status Perkawinan` values.
pub const MARITAL: &[&str] = &["BELUM KAWIN", "KAWIN", "CERAI HIDUP", "CERAI MATI"];

/// `Kewarganegaraan` values: citizen, foreigner.
pub const NATIONALITIES: &[&str] = &["WNI", "WNA"];

/// `Pekerjaan`: the Dukcapil occupation list (most common entries).
pub const OCCUPATIONS: &[&str] = &[
    "BELUM/TIDAK BEKERJA",
    "MENGURUS RUMAH TANGGA",
    "PELAJAR/MAHASISWA",
    "PENSIUNAN",
    "PEGAWAI NEGERI SIPIL (PNS)",
    "TENTARA NASIONAL INDONESIA (TNI)",
    "KEPOLISIAN RI (POLRI)",
    "PERDAGANGAN",
    "PETANI/PEKEBUN",
    "PETERNAK",
    "NELAYAN/PERIKANAN",
    "INDUSTRI",
    "KONSTRUKSI",
    "TRANSPORTASI",
    "KARYAWAN SWASTA",
    "KARYAWAN BUMN",
    "KARYAWAN BUMD",
    "KARYAWAN HONORER",
    "BURUH HARIAN LEPAS",
    "BURUH TANI/PERKEBUNAN",
    "BURUH NELAYAN/PERIKANAN",
    "BURUH PETERNAKAN",
    "PEMBANTU RUMAH TANGGA",
    "TUKANG BATU",
    "TUKANG KAYU",
    "TUKANG JAHIT",
    "MEKANIK",
    "SENIMAN",
    "WARTAWAN",
    "DOSEN",
    "GURU",
    "PENGACARA",
    "NOTARIS",
    "ARSITEK",
    "AKUNTAN",
    "KONSULTAN",
    "DOKTER",
    "BIDAN",
    "PERAWAT",
    "APOTEKER",
    "SOPIR",
    "PEDAGANG",
    "PERANGKAT DESA",
    "KEPALA DESA",
    "WIRASWASTA",
    "LAINNYA",
];

/// The vocabulary entry `text` was read as: exact match, or the single nearest entry when it is
/// at least `min_similarity` alike (normalised Levenshtein over the letters, digits and
/// slashes) and clearly nearer than the runner-up. `None` when nothing is close enough.
pub fn snap(text: &str, vocabulary: &[&'static str], min_similarity: f64) -> Option<&'static str> {
    let key = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric() || *c == '/')
            .flat_map(char::to_uppercase)
            .collect()
    };
    let read = key(text);
    if read.is_empty() {
        return None;
    }
    let mut scored: Vec<(f64, &'static str)> = vocabulary
        .iter()
        .map(|entry| (strsim::normalized_levenshtein(&read, &key(entry)), *entry))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (best, entry) = scored[0];
    if best >= 1.0 {
        return Some(entry);
    }
    let runner_up = scored.get(1).map_or(0.0, |s| s.0);
    (best >= min_similarity && best - runner_up >= 0.1).then_some(entry)
}

/// Letters the recogniser reads for digits, mapped back, for fields printed in digits only
/// (NIK, RT/RW, dates). Other characters are dropped.
pub fn digits_only(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '0'..='9' => Some(c),
            'O' | 'o' | 'D' | 'Q' => Some('0'),
            'I' | 'l' | '|' | 'i' | '!' => Some('1'),
            'Z' | 'z' => Some('2'),
            'S' | 's' => Some('5'),
            'G' | 'b' => Some('6'),
            'B' => Some('8'),
            _ => None,
        })
        .collect()
}

/// Digits the recogniser reads for letters, mapped back, for fields printed in letters only
/// (names, places), and letters with a diacritic as their base letter: Indonesian is written
/// without diacritics, so a mark read on a KTP letter is a speck (`JAKARTA SÉLATAN`). Collapses
/// runs of spaces.
pub fn letters_only(text: &str) -> String {
    let mapped: String = text
        .chars()
        .map(|c| match c {
            '0' => 'O',
            '1' => 'I',
            '5' => 'S',
            '8' => 'B',
            _ => base_letter(c),
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_lose_the_marks_a_ktp_never_prints() {
        assert_eq!(letters_only("JAKARTA SÉLATAN"), "JAKARTA SELATAN");
        assert_eq!(letters_only("BANDUNG  BARAT"), "BANDUNG BARAT");
        assert_eq!(letters_only("SÜRABAYA 5"), "SURABAYA S");
    }

    #[test]
    fn snapping_is_exact_or_clearly_nearest() {
        assert_eq!(snap("ISLAM", RELIGIONS, 0.7), Some("ISLAM"));
        assert_eq!(snap("lSLAM", RELIGIONS, 0.7), Some("ISLAM"));
        assert_eq!(snap("CERAI MAT1", MARITAL, 0.7), Some("CERAI MATI"));
        assert_eq!(snap("KATOLIK", RELIGIONS, 0.7), Some("KATOLIK"));
        assert_eq!(snap("PILOT", OCCUPATIONS, 0.85), None);
        assert_eq!(snap("", MARITAL, 0.7), None);
    }

    #[test]
    fn field_type_repairs() {
        assert_eq!(digits_only("32O1 0113I1844671"), "3201011311844671");
        assert_eq!(letters_only("SEMARAN6  K0TA"), "SEMARAN6 KOTA");
    }
}
