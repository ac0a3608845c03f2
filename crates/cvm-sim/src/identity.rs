//! Who is calling: the configured long-term keys, roles with their trust, and the
//! temporary credentials AssumeRole hands out. Temporary credentials live in memory only
//! (never in the state file) and expire on the world clock, so `advance_clock` can make
//! them expire in a test.

use crate::Credential;
use std::collections::HashMap;
use std::sync::Mutex;

/// A role callers from trusted accounts may assume (`qcs::cam::uin/<account>:roleName/<name>`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Role {
    /// The account (UIN) that owns the role: its world is what the role's sessions see.
    pub account: String,
    pub name: String,
    /// The numeric role id (`qcs::cam::uin/<account>:role/<id>` names it too).
    pub id: String,
    /// Accounts (UINs) whose identities may assume the role (the role's carrier).
    pub trusted: Vec<String>,
}

impl Role {
    pub fn arn(&self) -> String {
        format!("qcs::cam::uin/{}:roleName/{}", self.account, self.name)
    }
}

/// The identity behind a request's SecretId.
#[derive(Clone)]
pub struct Caller {
    /// The main account (UIN) whose world the request works on.
    pub account: String,
    /// GetCallerIdentity's UserId: the UIN for a key, `roleId:sessionName` for a role.
    pub user_id: String,
    /// GetCallerIdentity's PrincipalId: the UIN the key belongs to, or the UIN that
    /// assumed the role.
    pub principal: String,
    pub arn: String,
    /// GetCallerIdentity's Type.
    pub kind: &'static str,
    pub secret_key: String,
    /// The `X-TC-Token` the request must carry (temporary credentials), if any.
    pub token: Option<String>,
    /// World time (Unix ms) at which a temporary credential stops working.
    pub expires_ms: Option<i64>,
}

impl Caller {
    fn of_key(c: &Credential) -> Caller {
        Caller {
            account: c.account.clone(),
            user_id: c.account.clone(),
            principal: c.account.clone(),
            arn: format!("qcs::cam::uin/{}:uin/{}", c.account, c.account),
            kind: "CAMUser",
            secret_key: c.secret_key.clone(),
            token: c.token.clone(),
            expires_ms: None,
        }
    }

    /// The key Tencent counts rate limits by besides API and region: the sub-account.
    pub fn rate_key(&self) -> &str {
        &self.user_id
    }
}

/// Roles and the live temporary credentials.
pub struct Identity {
    roles: Vec<Role>,
    sessions: Mutex<HashMap<String, Caller>>,
}

/// Why a role ARN is refused.
pub enum RoleProblem {
    Malformed,
    NotFound,
}

impl Identity {
    pub fn new(roles: Vec<Role>) -> Identity {
        Identity {
            roles,
            sessions: Mutex::new(HashMap::new()),
        }
    }

    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    fn sessions(&self) -> std::sync::MutexGuard<'_, HashMap<String, Caller>> {
        self.sessions.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The caller behind `secret_id`: a configured key, or a temporary credential.
    pub fn caller(&self, keys: &[Credential], secret_id: &str) -> Option<Caller> {
        if let Some(c) = keys.iter().find(|c| c.secret_id == secret_id) {
            return Some(Caller::of_key(c));
        }
        self.sessions().get(secret_id).cloned()
    }

    /// Every live temporary credential as (SecretId, SecretKey, token): for leak audits.
    pub fn issued(&self) -> Vec<(String, String, String)> {
        self.sessions()
            .iter()
            .map(|(id, c)| {
                (
                    id.clone(),
                    c.secret_key.clone(),
                    c.token.clone().unwrap_or_default(),
                )
            })
            .collect()
    }

    /// The role an ARN names: `qcs::cam::uin/<uin>:roleName/<name>` or
    /// `qcs::cam::uin/<uin>:role/<id>`.
    pub fn role(&self, arn: &str) -> Result<&Role, RoleProblem> {
        let rest = arn
            .strip_prefix("qcs::cam::uin/")
            .ok_or(RoleProblem::Malformed)?;
        let (uin, what) = rest.split_once(':').ok_or(RoleProblem::Malformed)?;
        if uin.is_empty() || !uin.bytes().all(|b| b.is_ascii_digit()) {
            return Err(RoleProblem::Malformed);
        }
        let found = if let Some(name) = what.strip_prefix("roleName/") {
            self.roles
                .iter()
                .find(|r| r.account == uin && r.name == name)
        } else if let Some(id) = what.strip_prefix("role/") {
            self.roles.iter().find(|r| r.account == uin && r.id == id)
        } else {
            return Err(RoleProblem::Malformed);
        };
        found.ok_or(RoleProblem::NotFound)
    }

    /// Issues temporary credentials for `role`, valid until `expires_ms` (world time).
    /// Expired ones are forgotten on the way.
    pub fn issue(
        &self,
        role: &Role,
        session_name: &str,
        assumed_by: &str,
        now_ms: i64,
        expires_ms: i64,
    ) -> Issued {
        let raw = || uuid::Uuid::new_v4().simple().to_string();
        let secret_id = format!("AKID{}", raw());
        let caller = Caller {
            account: role.account.clone(),
            user_id: format!("{}:{session_name}", role.id),
            principal: assumed_by.to_owned(),
            arn: format!(
                "qcs::sts:{}:assumed-role/{}/{session_name}",
                role.account, role.id
            ),
            kind: "CAMRole",
            secret_key: raw(),
            token: Some(format!("{}{}", raw(), raw())),
            expires_ms: Some(expires_ms),
        };
        let mut sessions = self.sessions();
        sessions.retain(|_, s| s.expires_ms.is_some_and(|e| e > now_ms));
        sessions.insert(secret_id.clone(), caller.clone());
        Issued { secret_id, caller }
    }
}

/// Temporary credentials as AssumeRole hands them out.
pub struct Issued {
    pub secret_id: String,
    pub caller: Caller,
}
