//! The `[whatsapp]` section: defaults, the documented example, typos.

use kycd_whatsapp::{HttpMethod, ProviderConfig, WhatsappConfig};
use serde::Deserialize;

#[derive(Deserialize)]
struct PluginsToml {
    #[serde(default)]
    whatsapp: WhatsappConfig,
}

fn parse(text: &str) -> Result<WhatsappConfig, toml::de::Error> {
    toml::from_str::<PluginsToml>(text).map(|p| p.whatsapp)
}

#[test]
fn absent_section_is_disabled_with_defaults() {
    let config = parse("").unwrap();
    assert!(matches!(config.provider, ProviderConfig::Disabled));
    assert_eq!(config.cache_ttl_secs, 7 * 24 * 3600);
    assert!(config.workers >= 1 && config.breaker_failures >= 1);
    assert!(config.callback_allowlist.is_empty());
    let explicit = parse("[whatsapp.provider]\nkind = \"disabled\"\n").unwrap();
    assert!(matches!(explicit.provider, ProviderConfig::Disabled));
}

#[test]
fn documented_example_parses() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/whatsapp.md"
    ))
    .expect("docs/whatsapp.md");
    let block = doc
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a ```toml block in docs/whatsapp.md");
    let config = parse(block).unwrap();
    let ProviderConfig::Http(http) = &config.provider else {
        panic!("the example configures the http provider");
    };
    assert!(http.url_template.contains("{number}"));
    assert_eq!(http.method, HttpMethod::Get);
    assert_eq!(http.auth_value_env.as_deref(), Some("KYCD_WHATSAPP_TOKEN"));
    assert_eq!(http.fields.whatsapp, "/data/exists");
    assert_eq!(config.breaker_failures, 5);
}

#[test]
fn typos_are_rejected() {
    assert!(parse("[whatsapp]\ncache_tll_secs = 5\n").is_err());
    assert!(parse(
        "[whatsapp.provider]\nkind = \"http\"\nurl_template = \"http://x/{number}\"\nurl = \"x\"\n"
    )
    .is_err());
    assert!(parse("[whatsapp.provider]\nkind = \"carrier-pigeon\"\n").is_err());
}

#[test]
fn a_toml_table_converts_as_the_host_holds_it() {
    // The host keeps `[whatsapp]` as a `toml::Table` and converts it like this.
    let table: toml::Table =
        toml::from_str("cache_ttl_secs = 60\n[provider]\nkind = \"disabled\"\n").unwrap();
    let config: WhatsappConfig = toml::Value::Table(table).try_into().unwrap();
    assert_eq!(config.cache_ttl_secs, 60);
    let empty: WhatsappConfig = toml::Value::Table(toml::Table::new()).try_into().unwrap();
    assert!(matches!(empty.provider, ProviderConfig::Disabled));
}
