//! Images of a region: public (official), private (the account's own) and shared with
//! the account, filtered by name or platform.

use super::{clamp_u32, cvm_filter};
use crate::error::{AppError, from_api};
use crate::profiles::invalid;
use serde::{Deserialize, Serialize};
use tencent_api::Client;
use tencent_api::models::cvm;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, specta::Type)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ImageType {
    PublicImage,
    PrivateImage,
    SharedImage,
}

impl ImageType {
    fn as_str(self) -> &'static str {
        match self {
            ImageType::PublicImage => "PUBLIC_IMAGE",
            ImageType::PrivateImage => "PRIVATE_IMAGE",
            ImageType::SharedImage => "SHARED_IMAGE",
        }
    }
}

#[derive(Clone, Debug, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ImageFilter {
    pub image_type: ImageType,
    /// Fuzzy match on the image name.
    pub name: Option<String>,
    /// Fuzzy match on the platform (CentOS, Ubuntu, Windows, …).
    pub platform: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ImageView {
    pub id: String,
    pub name: String,
    pub os_name: String,
    pub platform: String,
    pub architecture: String,
    pub image_type: String,
    /// NORMAL, CREATING, CREATEFAILED, SYNCING, IMPORTING, IMPORTFAILED.
    pub state: String,
    pub size_gib: u32,
    pub source: String,
    pub created_time: Option<String>,
    pub description: String,
}

fn term(field: &str, v: &Option<String>) -> Result<Option<String>, AppError> {
    let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.chars().count() > 60 || v.chars().any(char::is_control) {
        return Err(invalid(field, "a search term is at most 60 characters"));
    }
    Ok(Some(v.to_owned()))
}

pub async fn list_images(
    client: &Client,
    region: &str,
    filter: &ImageFilter,
) -> Result<Vec<ImageView>, AppError> {
    let mut filters = vec![cvm_filter(
        "image-type",
        vec![filter.image_type.as_str().to_owned()],
    )];
    if let Some(n) = term("name", &filter.name)? {
        filters.push(cvm_filter("image-name", vec![n]));
    }
    if let Some(p) = term("platform", &filter.platform)? {
        filters.push(cvm_filter("platform", vec![p]));
    }
    let all = client
        .list_all(
            region,
            cvm::DescribeImagesRequest {
                filters: Some(filters),
                ..Default::default()
            },
        )
        .await
        .map_err(|e| from_api(&e))?;
    Ok(all
        .into_iter()
        .filter_map(|i| {
            Some(ImageView {
                id: i.image_id?,
                name: i.image_name.unwrap_or_default(),
                os_name: i.os_name.unwrap_or_default(),
                platform: i.platform.unwrap_or_default(),
                architecture: i.architecture.unwrap_or_default(),
                image_type: i.image_type.unwrap_or_default(),
                state: i.image_state.unwrap_or_default(),
                size_gib: clamp_u32(i.image_size),
                source: i.image_source.unwrap_or_default(),
                created_time: i.created_time,
                description: i.image_description.unwrap_or_default(),
            })
        })
        .collect())
}
