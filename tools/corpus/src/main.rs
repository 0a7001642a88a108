//! `kycd-corpus generate --out DIR --seed N --per-type K [--types ...] [--conditions ...]`

use std::path::PathBuf;

use anyhow::{anyhow, Result};
use clap::{Parser, Subcommand};
use kycd_corpus::{generate, write_samples, Condition, DocType, GenerateOptions};

#[derive(Parser)]
#[command(
    name = "kycd-corpus",
    about = "Synthetic, labelled identity-document images"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Draw documents and write <stem>.{png,jpg} + <stem>.json into --out.
    Generate {
        /// Output directory (created).
        #[arg(long)]
        out: PathBuf,
        /// Master seed: the same seed gives identical files.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Documents per type.
        #[arg(long, default_value_t = 1)]
        per_type: usize,
        /// Types (comma-separated or repeated); default all. See `list`.
        #[arg(long, value_delimiter = ',')]
        types: Vec<String>,
        /// Conditions (comma-separated or repeated): scan, photo, rotated, exif, large. Default scan,photo.
        #[arg(long, value_delimiter = ',')]
        conditions: Vec<String>,
    },
    /// List the document types and conditions.
    List,
}

fn main() -> std::process::ExitCode {
    match run(Cli::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kycd-corpus: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::List => {
            for t in DocType::ALL {
                println!("type {}", t.name());
            }
            for c in Condition::ALL {
                println!("condition {}", c.name());
            }
            Ok(())
        }
        Command::Generate {
            out,
            seed,
            per_type,
            types,
            conditions,
        } => {
            let mut options = GenerateOptions {
                seed,
                per_type,
                ..Default::default()
            };
            if !types.is_empty() {
                options.types = types
                    .iter()
                    .map(|t| {
                        DocType::from_name(t).ok_or_else(|| {
                            anyhow!("unknown type {t:?}; `kycd-corpus list` shows the types")
                        })
                    })
                    .collect::<Result<_>>()?;
            }
            if !conditions.is_empty() {
                options.conditions = conditions
                    .iter()
                    .map(|c| {
                        Condition::from_name(c).ok_or_else(|| {
                            anyhow!("unknown condition {c:?}; `kycd-corpus list` shows them")
                        })
                    })
                    .collect::<Result<_>>()?;
            }
            let samples = generate(&options)?;
            write_samples(&samples, &out)?;
            eprintln!("wrote {} images to {}", samples.len(), out.display());
            Ok(())
        }
    }
}
