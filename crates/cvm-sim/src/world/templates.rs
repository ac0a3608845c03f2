//! Launch templates: named, versioned RunInstances parameters.

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TemplateVersion {
    pub number: i64,
    pub description: String,
    pub created_ms: i64,
    /// The launch parameters, as given (password removed).
    pub data: Value,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LaunchTemplate {
    pub id: String,
    pub name: String,
    pub created_ms: i64,
    pub default_version: i64,
    pub versions: Vec<TemplateVersion>,
}
