//! Characters the recogniser confuses, for repairing a value by position: where a card's format
//! says a letter must stand (`0` read for `O`) or a digit must stand (`O` read for `0`). Use it
//! only where the format leaves no doubt, and let a check digit decide where one exists.
//!
//! ```
//! use kycd_plugin_api::lookalike::{digit_for, letter_for};
//! assert_eq!(letter_for('0'), 'O');
//! assert_eq!(digit_for('B'), '8');
//! assert_eq!(digit_for('7'), '7');
//! ```

/// The letter a character stands for where a letter must be: the digits that look like
/// upper-case letters (`0` `O`, `1` `I`, `2` `Z`, `5` `S`, `6` `G`, `8` `B`); any other
/// character unchanged.
pub fn letter_for(c: char) -> char {
    match c {
        '0' => 'O',
        '1' => 'I',
        '2' => 'Z',
        '5' => 'S',
        '6' => 'G',
        '8' => 'B',
        other => other,
    }
}

/// The digit a character stands for where a digit must be: the upper-case letters that look
/// like digits (`O` `D` `Q` `0`, `I` `L` `J` `T` `1`, `Z` `2`, `S` `5`, `G` `6`, `B` `8`); any
/// other character unchanged.
pub fn digit_for(c: char) -> char {
    match c {
        'O' | 'D' | 'Q' => '0',
        'I' | 'L' | 'J' | 'T' => '1',
        'Z' => '2',
        'S' => '5',
        'G' => '6',
        'B' => '8',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_alikes_map_both_ways_and_nothing_else_changes() {
        for (digit, letter) in [
            ('0', 'O'),
            ('1', 'I'),
            ('2', 'Z'),
            ('5', 'S'),
            ('6', 'G'),
            ('8', 'B'),
        ] {
            assert_eq!(letter_for(digit), letter);
            assert_eq!(digit_for(letter), digit);
        }
        assert_eq!(digit_for('D'), '0');
        assert_eq!(digit_for('T'), '1');
        assert_eq!(letter_for('3'), '3');
        assert_eq!(digit_for('A'), 'A');
        assert_eq!(letter_for('Ñ'), 'Ñ');
    }
}
