//! Checking, pricing, submitting and following a launch.
//!
//! Submission: validate (shape, then facts from the API), DryRun, then ONE ClientToken is
//! drawn and written with the request to the journal before the request is sent. The
//! client repeats a RunInstances that carries a token when the answer may have been lost;
//! if every attempt fails that way the entry stays pending and `retry` (the user, or the
//! start-up `resume_pending` for a young entry) re-sends the same request with the same
//! token, which Tencent answers with the ids of the original purchase instead of buying
//! again.

use crate::console::instances::describe_ids;
use crate::error::{AppCode, AppError, ErrorKind};
use crate::wizard::catalog::{instance_type_row, is_windows};
use crate::wizard::journal::{self, EntryState, Journal, JournalEntry};
use crate::wizard::price::{PriceQuote, quote};
use crate::wizard::spec::{
    Facts, LaunchSpec, Login, check_facts, check_price_shape, check_shape, price_request,
    redacted_json, run_request, with_field,
};
use serde::Serialize;
use tencent_api::models::{cvm, vpc};
use tencent_api::{Client, new_client_token};

/// Asks the API about the type, image and subnet the spec names.
pub async fn gather_facts(client: &Client, s: &LaunchSpec) -> Result<Facts, AppError> {
    let region = s.region.as_str();
    let image_req = cvm::DescribeImagesRequest {
        image_ids: Some(vec![s.image_id.clone()]),
        ..Default::default()
    };
    let fit_req = cvm::DescribeImagesRequest {
        image_ids: Some(vec![s.image_id.clone()]),
        instance_type: Some(s.instance_type.clone()),
        ..Default::default()
    };
    let subnet_req = vpc::DescribeSubnetsRequest {
        subnet_ids: Some(vec![s.subnet_id.clone()]),
        ..Default::default()
    };
    let subnet = async {
        if s.subnet_id.is_empty() {
            return Ok(None);
        }
        match client.describe_subnets(region, &subnet_req).await {
            Ok(r) => Ok(r.subnet_set.unwrap_or_default().into_iter().next()),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    };
    let (row, image, fit, subnet) = tokio::join!(
        instance_type_row(
            client,
            region,
            &s.zone,
            &s.instance_type,
            s.billing.charge_type()
        ),
        client.describe_images(region, &image_req),
        client.describe_images(region, &fit_req),
        subnet,
    );
    let not_found_is_none = |r: Result<cvm::DescribeImagesResponse, tencent_api::Error>| match r {
        Ok(r) => Ok(r.image_set.unwrap_or_default().into_iter().next()),
        Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::InvalidInput) => Ok(None),
        Err(e) => Err(with_field(&e)),
    };
    let image = not_found_is_none(image)?;
    let fits = not_found_is_none(fit)?.is_some();
    Ok(Facts {
        instance_type: row.map_err(|e| with_field(&e))?,
        windows: image.as_ref().is_some_and(is_windows),
        image,
        image_fits_type: fits,
        subnet: subnet
            .map_err(|e| with_field(&e))?
            .map(|x| (x.zone.unwrap_or_default(), x.vpc_id.unwrap_or_default())),
    })
}

/// Every local check, with the API's facts. Nothing is sent that fails here.
pub async fn validate(client: &Client, s: &LaunchSpec, max_name: usize) -> Result<(), AppError> {
    check_shape(s, max_name)?;
    let facts = gather_facts(client, s).await?;
    check_facts(s, &facts)
}

/// Validates, then asks Tencent to check the request without creating anything (stock,
/// quota, balance, parameters). Tencent's refusal comes back with the spec field it
/// points at.
pub async fn dry_run(client: &Client, s: &LaunchSpec, max_name: usize) -> Result<(), AppError> {
    validate(client, s, max_name).await?;
    match client
        .run_instances(&s.region, &run_request(s, None, true))
        .await
    {
        Ok(_) => Ok(()),
        Err(e) if e.code() == "DryRunOperation" => Ok(()),
        Err(e) => Err(with_field(&e)),
    }
}

/// The live price of the spec (all `count` instances).
pub async fn price(client: &Client, s: &LaunchSpec) -> Result<PriceQuote, AppError> {
    check_price_shape(s)?;
    let r = client
        .inquiry_price_run_instances(&s.region, &price_request(s))
        .await
        .map_err(|e| with_field(&e))?;
    Ok(quote(
        s.billing.charge_type(),
        s.count,
        r.price.as_ref(),
        r.request_id,
    ))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum LaunchStatus {
    /// Tencent accepted the purchase: the ids are known.
    Created,
    /// The answer was lost: the purchase may or may not have happened. Retrying re-sends
    /// the same ClientToken, so it cannot buy twice.
    Unknown,
    /// Tencent refused; nothing was created.
    Failed,
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LaunchOutcome {
    pub token: String,
    pub region: String,
    pub status: LaunchStatus,
    pub instance_ids: Vec<String>,
    pub error: Option<AppError>,
    /// A retry after a restart could not resend the password (it is never stored): if
    /// this retry created the instances, set their password with Reset password.
    pub password_not_resent: bool,
}

pub fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Sends the journalled request once and records the answer.
async fn send(
    client: &Client,
    journal: &Journal,
    entry: &JournalEntry,
    req: &cvm::RunInstancesRequest,
    password_not_resent: bool,
) -> Result<LaunchOutcome, AppError> {
    journal.attempt(&entry.token)?;
    let outcome = |status, ids, error| LaunchOutcome {
        token: entry.token.clone(),
        region: entry.region.clone(),
        status,
        instance_ids: ids,
        error,
        password_not_resent,
    };
    match client.run_instances(&entry.region, req).await {
        Ok(r) => {
            let ids = r.instance_id_set.unwrap_or_default();
            journal.resolve(&entry.token, ids.clone())?;
            Ok(outcome(LaunchStatus::Created, ids, None))
        }
        // Throttling or a server error after an attempt whose answer was lost could hide
        // a purchase that happened: only a refusal of the request itself settles it.
        Err(e)
            if e.outcome_unknown()
                || matches!(
                    e.kind(),
                    ErrorKind::Network | ErrorKind::Server | ErrorKind::Throttled
                ) =>
        {
            let err = with_field(&e);
            journal.note(&entry.token, err.message.clone())?;
            Ok(outcome(LaunchStatus::Unknown, Vec::new(), Some(err)))
        }
        Err(e) => {
            let err = with_field(&e);
            journal.fail(&entry.token, format!("{}: {}", err.code, err.message))?;
            Ok(outcome(LaunchStatus::Failed, Vec::new(), Some(err)))
        }
    }
}

/// Validates, dry-runs, journals and sends a launch. `dry_run_first` is false only in
/// tests that need the send path alone.
pub async fn submit(
    client: &Client,
    journal: &Journal,
    profile_id: &str,
    s: &LaunchSpec,
    max_name: usize,
) -> Result<LaunchOutcome, AppError> {
    dry_run(client, s, max_name).await?;
    submit_checked(client, journal, profile_id, s).await
}

/// `submit`, sent only when Tencent's fresh quote for the spec is still the
/// `accepted_price` (the quote's `total_now`) the user accepted.
pub async fn submit_at_price(
    client: &Client,
    journal: &Journal,
    profile_id: &str,
    s: &LaunchSpec,
    max_name: usize,
    accepted_price: f64,
) -> Result<LaunchOutcome, AppError> {
    let quoted = price(client, s).await?;
    crate::consent::check_price(quoted.total_now, accepted_price)?;
    submit(client, journal, profile_id, s, max_name).await
}

/// Journals and sends a spec that has been validated and dry-run.
pub async fn submit_checked(
    client: &Client,
    journal: &Journal,
    profile_id: &str,
    s: &LaunchSpec,
) -> Result<LaunchOutcome, AppError> {
    let token = new_client_token();
    let req = run_request(s, Some(token.clone()), false);
    let mut stored = redacted_json(&req);
    let password = match &s.login {
        Login::Password { password } => {
            if let Some(l) = stored
                .get_mut("LoginSettings")
                .and_then(|l| l.as_object_mut())
            {
                l.remove("Password");
            }
            Some(password.clone())
        }
        _ => None,
    };
    let entry = JournalEntry {
        token,
        profile_id: profile_id.to_owned(),
        region: s.region.clone(),
        had_password: password.is_some(),
        request: stored,
        created_unix: unix_now(),
        state: EntryState::Pending,
        instance_ids: Vec::new(),
        error: None,
        attempts: 0,
    };
    // Written (and synced) before anything leaves: a crash after this point is resumed.
    journal.begin(entry.clone(), password)?;
    let _sending = journal.in_flight(&entry.token);
    send(client, journal, &entry, &req, false).await
}

/// Re-sends a pending entry with its original token. Settled entries answer from the
/// journal without a call.
pub async fn retry(
    client: &Client,
    journal: &Journal,
    token: &str,
) -> Result<LaunchOutcome, AppError> {
    let entry = journal.get(token).ok_or_else(journal::not_found)?;
    if entry.state == EntryState::Dropped {
        return Err(AppError::conflict(
            AppCode::LaunchDropped,
            "this launch was dropped; it is not sent again (start a new one)",
        )
        .with_field("token"));
    }
    if entry.state != EntryState::Pending {
        return Ok(LaunchOutcome {
            token: entry.token.clone(),
            region: entry.region.clone(),
            status: if entry.state == EntryState::Resolved {
                LaunchStatus::Created
            } else {
                LaunchStatus::Failed
            },
            instance_ids: entry.instance_ids.clone(),
            error: None,
            password_not_resent: false,
        });
    }
    let mut req: cvm::RunInstancesRequest = serde_json::from_value(entry.request.clone())
        .map_err(|e| AppError::internal(AppCode::Journal, format!("unreadable entry: {e}")))?;
    req.client_token = Some(entry.token.clone());
    let mut password_not_resent = false;
    if entry.had_password {
        match journal.password(token) {
            Some(p) => {
                req.login_settings = Some(cvm::LoginSettings {
                    password: Some(p),
                    ..Default::default()
                })
            }
            None => {
                // After a restart the password is gone. The same token returns the
                // original purchase if it happened; if not, the instances are created
                // without a password and must get one with Reset password.
                req.login_settings = None;
                password_not_resent = true;
            }
        }
    }
    let _sending = journal.in_flight(token);
    send(client, journal, &entry, &req, password_not_resent).await
}

/// Start-up, first step (synchronous, before the UI can list the journal): picks the
/// pending entries that are re-sent without asking (`journal::auto_resume`) and marks
/// them in flight, so the UI does not offer them to the user meanwhile. The rest wait for
/// the user (`needsDecision`). `profile_writable` is false for a read-only or unknown
/// profile.
pub fn claim_auto_resume(
    journal: &Journal,
    now_unix: i64,
    profile_writable: impl Fn(&str) -> bool,
) -> Vec<JournalEntry> {
    let mut claimed = Vec::new();
    for entry in journal.pending() {
        if journal::auto_resume(&entry, now_unix, profile_writable(&entry.profile_id)) {
            if journal.claim(&entry.token) {
                claimed.push(entry);
            }
        } else {
            tracing::info!(
                token = %entry.token,
                "pending launch left for the user to resume or drop"
            );
        }
    }
    claimed
}

/// Start-up, second step: re-sends each claimed entry once (same token) and releases
/// it. `client_for` gives the client of an entry's profile (None when it cannot be had:
/// the entry stays pending and waits for the user).
pub async fn resume_pending<F, Fut>(
    journal: &Journal,
    claimed: Vec<JournalEntry>,
    client_for: F,
) -> Vec<LaunchOutcome>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Option<Client>>,
{
    let mut out = Vec::new();
    for entry in claimed {
        // Releases the claim of `claim_auto_resume` whatever happens below.
        let _claimed = ReleaseOnDrop(journal, &entry.token);
        let Some(client) = client_for(entry.profile_id.clone()).await else {
            tracing::warn!(
                token = %entry.token,
                "pending launch not resumed: no client for its profile"
            );
            continue;
        };
        match retry(&client, journal, &entry.token).await {
            Ok(o) => {
                tracing::info!(token = %o.token, status = ?o.status, "resumed pending launch");
                out.push(o);
            }
            Err(e) => tracing::warn!(code = %e.code, "resuming a launch: {}", e.message),
        }
    }
    out
}

struct ReleaseOnDrop<'a>(&'a Journal, &'a str);

impl Drop for ReleaseOnDrop<'_> {
    fn drop(&mut self) {
        self.0.release(self.1);
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LaunchedInstance {
    pub instance_id: String,
    /// None until DescribeInstances shows it.
    pub state: Option<String>,
    pub name: String,
    pub private_ip: Option<String>,
    pub public_ip: Option<String>,
    /// Tencent's message when the launch failed.
    pub failure: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LaunchProgress {
    pub instances: Vec<LaunchedInstance>,
    pub running: u32,
    pub failed: u32,
    /// Every instance is RUNNING or LAUNCH_FAILED.
    pub done: bool,
}

/// Where the launched instances are now (one DescribeInstances per 100).
pub async fn progress(
    client: &Client,
    region: &str,
    ids: &[String],
) -> Result<LaunchProgress, AppError> {
    let described = describe_ids(client, region, ids).await?;
    let instances: Vec<LaunchedInstance> = ids
        .iter()
        .map(|id| {
            let i = described
                .iter()
                .find(|i| i.instance_id.as_deref() == Some(id.as_str()));
            let state = i.and_then(|i| i.instance_state.clone());
            LaunchedInstance {
                instance_id: id.clone(),
                failure: i
                    .filter(|_| state.as_deref() == Some("LAUNCH_FAILED"))
                    .map(|i| {
                        i.latest_operation_error_msg
                            .clone()
                            .filter(|m| !m.is_empty())
                            .unwrap_or_else(|| "the instance failed to launch".into())
                    }),
                state,
                name: i.and_then(|i| i.instance_name.clone()).unwrap_or_default(),
                private_ip: i
                    .and_then(|i| i.private_ip_addresses.clone())
                    .and_then(|v| v.into_iter().next()),
                public_ip: i
                    .and_then(|i| i.public_ip_addresses.clone())
                    .and_then(|v| v.into_iter().next()),
            }
        })
        .collect();
    let count = |s: &str| {
        instances
            .iter()
            .filter(|i| i.state.as_deref() == Some(s))
            .count() as u32
    };
    let (running, failed) = (count("RUNNING"), count("LAUNCH_FAILED"));
    Ok(LaunchProgress {
        done: running + failed == ids.len() as u32,
        running,
        failed,
        instances,
    })
}
