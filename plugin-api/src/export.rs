//! [`export_plugin!`] and the panic guards it wraps around plugin code.

use std::panic::{catch_unwind, AssertUnwindSafe};

use abi_stable::std_types::{RResult, RString};

use crate::fields::{ErrorKind, ExtractError, Extraction};
use crate::host::{Host, HostRef, Request};
use crate::manifest::Manifest;

/// Exports a plugin's root module from a `cdylib`.
///
/// Takes the path of a `fn() -> Manifest` and of a
/// `fn(&Request<'_>, &Host<'_>) -> Result<Extraction, ExtractError>`. A panic in either is caught
/// at the boundary: in `extract` it becomes [`ErrorKind::PANICKED`] (the host answers
/// `RETRY_LATER` and keeps serving); in `manifest` the plugin declares no documents and the host
/// refuses it.
///
/// The plugin crate must depend on `abi_stable` too (the workspace version), because the
/// exporting attribute refers to it by name.
#[macro_export]
macro_rules! export_plugin {
    ($manifest:path, $extract:path) => {
        #[$crate::abi_stable::export_root_module]
        pub fn kycd_plugin_root_module() -> $crate::PluginModRef {
            use $crate::abi_stable::prefix_type::PrefixTypeTrait;

            extern "C" fn kycd_ffi_manifest() -> $crate::Manifest {
                $crate::__private::guard_manifest($manifest)
            }

            extern "C" fn kycd_ffi_extract(
                request: &$crate::Request<'_>,
                host: &$crate::HostRef<'_>,
            ) -> $crate::abi_stable::std_types::RResult<$crate::Extraction, $crate::ExtractError>
            {
                $crate::__private::guard_extract($extract, request, host)
            }

            $crate::PluginMod {
                manifest: kycd_ffi_manifest,
                extract: kycd_ffi_extract,
            }
            .leak_into_prefix()
        }
    };
}

#[doc(hidden)]
pub mod __private {
    pub use super::{guard_extract, guard_manifest};
}

thread_local! {
    /// Whether this thread is inside the plugin's extract function.
    static IN_EXTRACT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Makes panics inside the plugin's extract function print only their location (the default
/// message could quote document content). Panics elsewhere — a test linking the plugin as a
/// library, say — keep the hook that was installed before.
fn install_quiet_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if IN_EXTRACT.with(|inside| inside.get()) {
                let location = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                eprintln!("kycd plugin panicked at {location}");
            } else {
                previous(info);
            }
        }));
    });
}

/// Marks the current thread as inside the extract function until dropped.
struct InExtract;

impl InExtract {
    fn enter() -> Self {
        IN_EXTRACT.with(|inside| inside.set(true));
        InExtract
    }
}

impl Drop for InExtract {
    fn drop(&mut self) {
        IN_EXTRACT.with(|inside| inside.set(false));
    }
}

#[doc(hidden)]
pub fn guard_manifest(build: fn() -> Manifest) -> Manifest {
    catch_unwind(build).unwrap_or_else(|_| Manifest::new("", ""))
}

#[doc(hidden)]
pub fn guard_extract(
    run: fn(&Request<'_>, &Host<'_>) -> Result<Extraction, ExtractError>,
    request: &Request<'_>,
    host: &HostRef<'_>,
) -> RResult<Extraction, ExtractError> {
    install_quiet_panic_hook();
    let host = Host::from_ffi(host);
    let inside = InExtract::enter();
    let outcome = catch_unwind(AssertUnwindSafe(|| run(request, host)));
    drop(inside);
    match outcome {
        Ok(result) => result.into(),
        Err(payload) => {
            drop(payload);
            // The payload may quote document content, so it is not passed on; the host logs only
            // that this plugin panicked on this route.
            RResult::RErr(ExtractError {
                kind: ErrorKind::PANICKED,
                message: RString::from("plugin panicked"),
            })
        }
    }
}
