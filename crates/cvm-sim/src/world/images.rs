//! Images the account made from its instances (CreateImage).

use super::Tag;
use serde::{Deserialize, Serialize};

/// An image the account made from one of its instances.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct CustomImage {
    pub id: String,
    pub name: String,
    pub description: String,
    pub os_name: String,
    pub platform: String,
    pub architecture: String,
    pub size: i64,
    pub windows: bool,
    pub login_user: String,
    pub created_ms: i64,
    pub ready_ms: i64,
    pub source_instance: String,
    pub snapshots: Vec<(String, String, i64)>,
    pub tags: Vec<Tag>,
}

impl CustomImage {
    pub fn state(&self, now: i64) -> &'static str {
        if now < self.ready_ms {
            "CREATING"
        } else {
            "NORMAL"
        }
    }
}
