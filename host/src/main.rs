//! `kycd`: the server and its command-line tools.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "kycd",
    version,
    about = "Self-hosted identity-verification engine"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Starts the HTTP service.
    Serve {
        /// Configuration file.
        #[arg(long, default_value = "plugins.toml")]
        config: PathBuf,
    },
    /// API keys.
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
    /// Runs one image route in-process (no server) and prints the JSON answer.
    Ocr {
        /// Route, e.g. ocr/de/id-card or ocr/mrz.
        #[arg(long)]
        route: String,
        /// Image file (JPEG, PNG or BMP).
        file: PathBuf,
        /// Adds per-field confidence, validity and source.
        #[arg(long)]
        details: bool,
        #[arg(long, default_value = "plugins.toml")]
        config: PathBuf,
    },
    /// Compares the largest faces of two photos in-process and prints the JSON face/compare
    /// would answer.
    Compare {
        /// First photo (img1).
        a: PathBuf,
        /// Second photo (img2).
        b: PathBuf,
        /// Adds cosine, thresholds, face boxes and quality issues.
        #[arg(long)]
        details: bool,
        #[arg(long, default_value = "plugins.toml")]
        config: PathBuf,
    },
    /// Plugin development.
    Plugin {
        #[command(subcommand)]
        command: PluginCommand,
    },
    /// Accuracy harness: posts every labelled image of DIR to its route on a running kycd and
    /// prints per-document-type results (Markdown) and writes a JSON report.
    Eval {
        dir: PathBuf,
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        url: String,
        #[arg(long, env = "KYCD_KEY")]
        key: String,
        /// Where to write the JSON report.
        #[arg(long)]
        report: Option<PathBuf>,
    },
    /// Lists the routes the configuration serves (loads plugins and models in-process).
    Routes {
        #[arg(long, default_value = "plugins.toml")]
        config: PathBuf,
    },
}

#[derive(Subcommand)]
enum PluginCommand {
    /// Scaffolds plugins/<ID>/ (crate, one route, a golden test that passes) in the workspace.
    New {
        /// Plugin id, usually the ISO country code: fr, pl, br.
        id: String,
        /// The workspace root (the directory of the workspace Cargo.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Prints a fresh key and the `[[keys]]` entry (with its SHA-256) for plugins.toml.
    New {
        /// Tenant name for the entry.
        #[arg(long, default_value = "tenant")]
        name: String,
    },
}

fn init_logging() {
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KYCD_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve { config } => {
            init_logging();
            runtime().and_then(|rt| rt.block_on(kycd::serve(config)))
        }
        Command::Key {
            command: KeyCommand::New { name },
        } => {
            let (key, hash) = kycd::auth::new_key();
            println!(
                "key: {key}\n\n[[keys]]\nname = \"{name}\"\nsha256 = \"{hash}\"\nroutes = [\"*\"]"
            );
            Ok(())
        }
        Command::Ocr {
            route,
            file,
            details,
            config,
        } => kycd::local::LocalRunner::from_config(&config).and_then(|runner| {
            let image = std::fs::read(&file)
                .map_err(|e| anyhow::anyhow!("reading {}: {e}", file.display()))?;
            let answer = runner.run(&route, &image, details);
            println!("{}", serde_json::to_string_pretty(&answer.body())?);
            Ok(())
        }),
        Command::Compare {
            a,
            b,
            details,
            config,
        } => kycd::local::LocalRunner::from_config(&config).and_then(|runner| {
            let read = |path: &PathBuf| {
                std::fs::read(path).map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))
            };
            let answer = runner.compare(&read(&a)?, &read(&b)?, details);
            println!("{}", serde_json::to_string_pretty(&answer.body())?);
            Ok(())
        }),
        Command::Plugin {
            command: PluginCommand::New { id, root },
        } => kycd::scaffold::new_plugin(&root, &id).map(|scaffold| {
            for file in &scaffold.files {
                println!("wrote {}", scaffold.dir.join(file).display());
            }
            println!(
                "\nAdd this line to the workspace members in {}:\n{}\nthen: cargo test --release -p kycd-plugin-{id}",
                root.join("Cargo.toml").display(),
                scaffold.member_line
            );
        }),
        Command::Eval {
            dir,
            url,
            key,
            report,
        } => runtime().and_then(|rt| {
            let result = rt.block_on(kycd::eval::run(&dir, &url, &key))?;
            println!("{}", kycd::eval::render(&result));
            if let Some(path) = report {
                std::fs::write(&path, serde_json::to_string_pretty(&result)?)?;
            }
            Ok(())
        }),
        Command::Routes { config } => runtime().and_then(|rt| {
            rt.block_on(async {
                let (state, _) = kycd::build_state(&config).await?;
                for entry in state.table.load().iter() {
                    let (provider, version) = entry.provider();
                    println!(
                        "{:<28} {:<10} {:<8} {}",
                        entry.route, provider, version, entry.title
                    );
                }
                state.whatsapp.shutdown().await;
                Ok(())
            })
        }),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kycd: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
