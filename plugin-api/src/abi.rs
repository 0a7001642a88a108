//! The root module every plugin library exports, and its version.

use abi_stable::library::RootModule;
use abi_stable::package_version_strings;
use abi_stable::sabi_types::VersionStrings;
use abi_stable::std_types::RResult;
use abi_stable::StableAbi;

use crate::fields::{ExtractError, Extraction};
use crate::host::{HostRef, Request};
use crate::manifest::Manifest;

/// The ABI version: the version of this crate. The host refuses a plugin whose ABI version is
/// incompatible under semver rules for `0.x` (same minor) and whose type layouts differ.
pub const ABI_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The table of functions a plugin exports. Built by [`crate::export_plugin!`]; never by hand.
///
/// It is a prefix type: later versions may append fields after the last one, and the host can
/// still load plugins built against this version.
#[repr(C)]
#[derive(StableAbi)]
#[sabi(kind(Prefix(prefix_ref = PluginModRef)))]
#[sabi(missing_field(panic))]
pub struct PluginMod {
    /// Returns the plugin's manifest. Called once per load.
    pub manifest: extern "C" fn() -> Manifest,

    /// Extracts the fields of one document image. Must not unwind: [`crate::export_plugin!`]
    /// catches panics and turns them into [`crate::ErrorKind::PANICKED`].
    #[sabi(last_prefix_field)]
    pub extract: extern "C" fn(&Request<'_>, &HostRef<'_>) -> RResult<Extraction, ExtractError>,
}

impl RootModule for PluginModRef {
    abi_stable::declare_root_module_statics! {PluginModRef}
    const BASE_NAME: &'static str = "kycd_plugin";
    const NAME: &'static str = "kycd_plugin";
    const VERSION_STRINGS: VersionStrings = package_version_strings!();
}
