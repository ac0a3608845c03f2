//! What the first screen needs, handed to the page with its document instead of over
//! IPC after the scripts ran: the profiles (as `list_profiles` gives them) and the active
//! profile's last known list for the region it opens on (the instant-start cache). The page
//! refreshes both over IPC as usual. Neither holds a secret: the profiles carry the masked
//! SecretId only, the cache only instance data (the leak audit checks the document).

use crate::accounts::{self, ProfilesView};
use crate::console::cache::{CachedList, ListCache};
use crate::state::AppState;
use serde::Serialize;
use std::path::Path;

/// The id of the data block in the page (`ui/src/backend/boot.ts` reads it).
pub const ELEMENT_ID: &str = "cvm-boot";

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BootData {
    /// None while the Sandbox (whose masked id the view carries) is still starting: the
    /// page then asks over IPC, as it would anyway.
    pub profiles: Option<ProfilesView>,
    /// The active profile's cached list for the region the page opens on, if any.
    pub cached: Option<CachedList>,
}

/// Gathers the data without waiting for anything (a local file read at most).
pub fn boot_data(state: &AppState, cache_dir: &Path) -> BootData {
    let active = state.active_profile();
    let region = active
        .last_region
        .as_deref()
        .unwrap_or(&active.default_region);
    BootData {
        profiles: accounts::ready_view(state),
        cached: ListCache::new(cache_dir).load(&active.id, region),
    }
}

/// The page's HTML with `data` as a JSON data block before `</head>`: a script element the
/// browser never runs (so the CSP's `script-src 'self'` is unaffected). Every `<` in the
/// JSON is escaped, so no text in it (an instance named `</script>`) can end the block.
/// None when the page has no `</head>` or is not UTF-8.
pub fn inject(html: &[u8], data: &BootData) -> Option<Vec<u8>> {
    let html = std::str::from_utf8(html).ok()?;
    let at = html.find("</head>")?;
    let json = serde_json::to_string(data).ok()?.replace('<', "\\u003c");
    let mut out = String::with_capacity(html.len() + json.len() + 64);
    out.push_str(&html[..at]);
    out.push_str("<script type=\"application/json\" id=\"");
    out.push_str(ELEMENT_ID);
    out.push_str("\">");
    out.push_str(&json);
    out.push_str("</script>");
    out.push_str(&html[at..]);
    Some(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::instances::instance_view;
    use crate::secrets::Vault;
    use tencent_api::models::cvm;

    fn state(dir: &Path) -> AppState {
        let store: std::sync::Arc<keyring_core::CredentialStore> =
            keyring_core::mock::Store::new().unwrap();
        AppState::new(
            dir.join("config"),
            dir.join("data"),
            Vault::with_store(store, "boot-test"),
        )
        .unwrap()
    }

    fn block(page: &str) -> serde_json::Value {
        let start = page.find("id=\"cvm-boot\">").unwrap() + "id=\"cvm-boot\">".len();
        let end = start + page[start..].find("</script>").unwrap();
        serde_json::from_str(&page[start..end]).unwrap()
    }

    #[test]
    fn the_active_profiles_cached_list_goes_into_the_head() {
        let dir = tempfile::tempdir().unwrap();
        let state = state(dir.path());
        let cache_dir = dir.path().join("cache");
        let mut row = instance_view(
            "ap-guangzhou",
            &cvm::Instance {
                instance_id: Some("ins-00000001".into()),
                instance_name: Some("</script><script>alert(1)</script>".into()),
                instance_state: Some("RUNNING".into()),
                ..Default::default()
            },
        );
        row.profile_id = "sandbox".into();
        ListCache::new(&cache_dir)
            .save("sandbox", "ap-guangzhou", vec![row])
            .unwrap();
        let html = b"<!doctype html><html><head><title>t</title></head><body></body></html>";
        let page =
            String::from_utf8(inject(html, &boot_data(&state, &cache_dir)).unwrap()).unwrap();
        assert!(page.starts_with("<!doctype html><html><head><title>t</title><script type=\"application/json\" id=\"cvm-boot\">"));
        assert!(page.ends_with("</script></head><body></body></html>"));
        // The instance's name cannot close the block early.
        assert_eq!(page.matches("</script>").count(), 1, "{page}");
        let data = block(&page);
        assert_eq!(
            data["cached"]["instances"][0]["name"],
            "</script><script>alert(1)</script>"
        );
        assert_eq!(data["cached"]["region"], "ap-guangzhou");
        // The Sandbox has not started: its masked id is unknown, so no profiles.
        assert!(data["profiles"].is_null());
    }

    #[test]
    fn no_cache_and_no_head_are_handled() {
        let dir = tempfile::tempdir().unwrap();
        let state = state(dir.path());
        let data = boot_data(&state, &dir.path().join("cache"));
        assert!(data.cached.is_none());
        assert!(inject(b"<html><body></body></html>", &data).is_none());
        assert!(inject(&[0xff, 0xfe], &data).is_none());
    }
}
