//! Development aid: measures the romanisation repair of Thai names offline. Reads lines
//! `THAI_READ<TAB>ENGLISH<TAB>EXPECTED` on stdin (from an eval report of generated cards) and
//! prints, per line, whether the read was right before and after the repair, then the totals.
//! With `address` as argument, the lines are address reads (`READ<TAB><TAB>EXPECTED`) and the
//! address repairs (abbreviations, place names) are measured instead.
//!
//! `cargo run --release -p kycd-plugin-th --example name_repair [address] < reads.tsv`
//!
//! Prints names: use it on generated cards only.

use kycd_plugin_th::admin_areas::snap_place_names;
use kycd_plugin_th::names::{address_abbreviations, repair_name_by_english};
use std::io::BufRead;

fn main() {
    let address = std::env::args().nth(1).as_deref() == Some("address");
    let (mut before, mut after, mut total) = (0, 0, 0);
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let parts: Vec<&str> = line.split('\t').collect();
        let [read, english, expected] = parts[..] else {
            continue;
        };
        let repaired = if address {
            snap_place_names(&address_abbreviations(read))
        } else {
            repair_name_by_english(read, english)
        };
        total += 1;
        before += usize::from(read == expected);
        after += usize::from(repaired == expected);
        if read != expected || repaired != expected {
            println!(
                "{} -> {} {} | {read} -> {repaired} (want {expected}, {english})",
                if read == expected { "ok" } else { "BAD" },
                if repaired == expected { "ok" } else { "BAD" },
                if read != repaired { "changed" } else { "" },
            );
        }
    }
    println!("exact before {before}/{total}, after {after}/{total}");
}
