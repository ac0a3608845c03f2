//! Images of a region: public (official), private (the account's own) and shared with
//! the account, filtered by name or platform; making a custom image from an instance
//! and deleting one.

use super::{check_confirmation, clamp_u32, conflict, cvm_filter};
use crate::error::{AppCode, AppError};
use crate::profiles::invalid;
use serde::{Deserialize, Serialize};
use tencent_api::Client;
use tencent_api::models::{cvm, resources};

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
        .await?;
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

/// Tencent's rule for image names: 1–60 characters of Chinese, letters, digits, `-`, `_`
/// and `.` (the console's rule; the API documents the 60-character limit).
pub fn validate_image_name(name: &str) -> Result<(), AppError> {
    if name.trim().is_empty() {
        return Err(invalid("imageName", "an image name is required"));
    }
    let n = name.chars().count();
    if n > 60 {
        return Err(invalid(
            "imageName",
            format!("an image name is at most 60 characters ({n} given)"),
        ));
    }
    let ok = |c: char| {
        c.is_ascii_alphanumeric()
            || matches!(c, '-' | '_' | '.')
            || ('\u{4e00}'..='\u{9fff}').contains(&c)
    };
    if let Some(c) = name.chars().find(|c| !ok(*c)) {
        return Err(invalid(
            "imageName",
            format!("{c:?} is not allowed: use Chinese, letters, digits, -, _ and . only"),
        ));
    }
    Ok(())
}

pub fn validate_image_description(d: &str) -> Result<(), AppError> {
    if d.chars().count() > 256 || d.chars().any(char::is_control) {
        return Err(invalid(
            "imageDescription",
            "a description is at most 256 characters on one line",
        ));
    }
    Ok(())
}

#[derive(Clone, Debug, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CreateImageInput {
    pub instance_id: String,
    pub image_name: String,
    pub description: String,
    /// Shut a running instance down first (a consistent image; the instance stays
    /// stopped). Without it the image is taken while it runs, which may miss data.
    pub force_poweroff: bool,
}

/// Makes a custom image from an instance; returns the new image's id (it is CREATING
/// for a few minutes, then NORMAL).
pub async fn create_image(
    client: &Client,
    region: &str,
    input: &CreateImageInput,
) -> Result<String, AppError> {
    crate::console::instances::validate_ids(std::slice::from_ref(&input.instance_id))?;
    validate_image_name(&input.image_name)?;
    validate_image_description(&input.description)?;
    let out = crate::console::activity::with_targets(
        vec![input.instance_id.clone()],
        client.create_image(
            region,
            &resources::CreateImageRequest {
                image_name: Some(input.image_name.clone()),
                instance_id: Some(input.instance_id.clone()),
                image_description: Some(input.description.clone()).filter(|d| !d.trim().is_empty()),
                force_poweroff: Some(input.force_poweroff.to_string()),
                ..Default::default()
            },
        ),
    )
    .await?;
    out.image_id
        .ok_or_else(|| AppError::internal(AppCode::NoImageId, "CreateImage answered without an id"))
}

/// Deletes one custom image. `confirm` must be its id or name. Public and shared images
/// are refused here (they are not the account's to delete), as is an image still being
/// made.
pub async fn delete_image(
    client: &Client,
    region: &str,
    image_id: &str,
    confirm: &str,
) -> Result<Option<String>, AppError> {
    super::require_confirmation(confirm)?;
    tencent_api::validate_id("imageId", "img", image_id).map_err(|_| {
        invalid(
            "imageId",
            format!("{image_id:?} is not an image id (img-xxxxxxxx)"),
        )
    })?;
    let found = client
        .describe_images(
            region,
            &cvm::DescribeImagesRequest {
                image_ids: Some(vec![image_id.to_owned()]),
                ..Default::default()
            },
        )
        .await?
        .image_set
        .unwrap_or_default()
        .into_iter()
        .find(|i| i.image_id.as_deref() == Some(image_id))
        .ok_or_else(|| {
            AppError::not_found(
                "InvalidImageId.NotFound",
                format!("no image {image_id} in {region}"),
            )
            .with_field("imageId")
        })?;
    let name = found.image_name.clone().unwrap_or_default();
    check_confirmation(confirm, &[image_id, name.as_str()])?;
    if found.image_type.as_deref() != Some("PRIVATE_IMAGE") {
        return Err(conflict(
            "UnauthorizedOperation.ImageNotBelongToAccount",
            Some("imageId"),
            format!(
                "{name} ({image_id}) is not one of your custom images; only those can be deleted"
            ),
        ));
    }
    if found.image_state.as_deref() != Some("NORMAL") {
        return Err(conflict(
            "InvalidImageId.IncorrectState",
            Some("imageId"),
            format!(
                "{name} ({image_id}) is {}; wait until it is NORMAL",
                found.image_state.unwrap_or_default()
            ),
        ));
    }
    client
        .delete_images(
            region,
            &resources::DeleteImagesRequest {
                image_ids: Some(vec![image_id.to_owned()]),
                ..Default::default()
            },
        )
        .await
        .map(|r| r.request_id)
        .map_err(AppError::from)
}
