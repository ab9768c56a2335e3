//! API tokens: how a municipality's servers push inventories and how tools read the API.
//!
//! * **The token names its row.** A token is `wbt_<tenant>_<id>_<secret>`: tenant ids are
//!   `[a-z0-9-]` and ids and secrets are hex, so `_` separates them unambiguously, and a lookup
//!   is one primary-key read inside one tenant (a sharded database sends it to one node).
//! * **SHA-256, not a password hash.** The secret is 32 bytes from the operating system's
//!   generator (256 bits), not something a person chose: no dictionary applies, and brute
//!   force over 2^256 is out of reach however fast the hash is. A slow hash (argon2) would only
//!   add tens of milliseconds to every API request. The stored hex digest is compared in
//!   constant time all the same, so response timing says nothing about how much matched.
//! * **Every token expires**, and revoking keeps the row. `last_used_at` is written at most
//!   once a minute per token, so a busy pusher does not turn every request into a write; each
//!   such write is audited as `token.use`, as are creation, listing, revocation and every
//!   refused attempt that named an existing token.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Store, StoreError, TenantId, audit, ensure_tenant, now};

/// The prefix of every token, so secret scanners and people can recognise one.
pub const TOKEN_PREFIX: &str = "wbt_";

/// How long `last_used_at` may lag behind the truth, in seconds.
const LAST_USED_RESOLUTION: i64 = 60;

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Push inventories of its own tenant.
    Ingest,
    /// Read its own tenant's data.
    Read,
    /// Provider-wide: every tenant's data, creating tenants. Implies `read` and `ingest`
    /// everywhere.
    Admin,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::Ingest, Scope::Read, Scope::Admin];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Ingest => "ingest",
            Scope::Read => "read",
            Scope::Admin => "admin",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scope {
    type Err = StoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "ingest" => Ok(Scope::Ingest),
            "read" => Ok(Scope::Read),
            "admin" => Ok(Scope::Admin),
            other => Err(StoreError::InvalidToken {
                reason: format!("unknown scope {other:?}: use ingest, read or admin"),
            }),
        }
    }
}

/// A stored token, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    pub tenant: TenantId,
    pub id: String,
    pub name: String,
    pub scopes: Vec<Scope>,
    pub created_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub created_by: String,
}

impl TokenInfo {
    /// Whether the token grants `scope` (admin grants everything).
    #[must_use]
    pub fn allows(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope) || self.scopes.contains(&Scope::Admin)
    }
}

/// A token to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    pub name: String,
    pub scopes: Vec<Scope>,
    /// When it stops working (Unix seconds); must be in the future.
    pub expires_at: i64,
}

/// A freshly created token: the only time its secret exists outside the caller's hands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedToken {
    pub info: TokenInfo,
    /// The whole bearer token, `wbt_<tenant>_<id>_<secret>`.
    pub token: String,
}

/// Why a bearer token was refused. The messages are safe to show the caller: they are only
/// specific (expired, revoked) once the secret was proven.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("the token is malformed or unknown")]
    Invalid,
    #[error("the token expired")]
    Expired,
    #[error("the token was revoked")]
    Revoked,
}

fn random_hex(bytes: usize) -> Result<String, StoreError> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| StoreError::InvalidToken {
        reason: format!("the operating system's random generator failed: {e}"),
    })?;
    Ok(hex(&buf))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn hash_secret(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// Equal without an early exit, so timing reveals nothing about where two digests differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The parts of a bearer token, or `None` when it is not one of ours.
fn split_token(token: &str) -> Option<(TenantId, &str, &str)> {
    let rest = token.strip_prefix(TOKEN_PREFIX)?;
    let mut parts = rest.split('_');
    let (tenant, id, secret) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || id.is_empty()
        || secret.len() != 64
        || !id.bytes().all(|b| b.is_ascii_hexdigit())
        || !secret.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return None;
    }
    Some((TenantId::new(tenant).ok()?, id, secret))
}

fn scopes_text(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn token_from_row(row: &AnyRow) -> Result<TokenInfo, StoreError> {
    let tenant: String = row.try_get("tenant_id")?;
    let scopes: String = row.try_get("scopes")?;
    let corrupt = |column: &'static str, reason: String| StoreError::Corrupt {
        table: "api_tokens",
        column,
        reason,
    };
    Ok(TokenInfo {
        tenant: TenantId::new(&tenant).map_err(|e| corrupt("tenant_id", e.to_string()))?,
        id: row.try_get("token_id")?,
        name: row.try_get("name")?,
        scopes: scopes
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::parse)
            .collect::<Result<_, _>>()
            .map_err(|e: StoreError| corrupt("scopes", e.to_string()))?,
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
        revoked_at: row.try_get("revoked_at")?,
        last_used_at: row.try_get("last_used_at")?,
        created_by: row.try_get("created_by")?,
    })
}

impl Store {
    /// Creates a token for `tenant` and returns it with its secret, which is not stored.
    ///
    /// # Errors
    /// [`StoreError::InvalidToken`] (no scopes, empty name, expiry not in the future),
    /// [`StoreError::UnknownTenant`], or a database error.
    pub async fn create_token(
        &self,
        tenant: &TenantId,
        actor: &str,
        new: &NewToken,
    ) -> Result<CreatedToken, StoreError> {
        let name = new.name.trim();
        let created_at = now();
        let reason = if new.scopes.is_empty() {
            Some("give at least one scope")
        } else if name.is_empty() || name.len() > 200 || name.chars().any(char::is_control) {
            Some("the name must be 1–200 printable characters")
        } else if new.expires_at <= created_at {
            Some("the expiry must be in the future")
        } else {
            None
        };
        if let Some(reason) = reason {
            return Err(StoreError::InvalidToken {
                reason: reason.to_owned(),
            });
        }
        let mut scopes = new.scopes.clone();
        scopes.sort_unstable();
        scopes.dedup();
        let id = random_hex(8)?;
        let secret = random_hex(32)?;
        let mut tx = self.pool.begin().await?;
        ensure_tenant(&mut tx, tenant).await?;
        sqlx::query(
            "INSERT INTO api_tokens (tenant_id, token_id, name, secret_hash, scopes, created_at, \
             expires_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(tenant.as_str())
        .bind(&id)
        .bind(name)
        .bind(hash_secret(&secret))
        .bind(scopes_text(&scopes))
        .bind(created_at)
        .bind(new.expires_at)
        .bind(actor)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            tenant,
            actor,
            "token.create",
            &format!("token:{id}"),
            &serde_json::json!({
                "name": name,
                "scopes": scopes,
                "expires_at": new.expires_at,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(CreatedToken {
            token: format!("{TOKEN_PREFIX}{tenant}_{id}_{secret}"),
            info: TokenInfo {
                tenant: tenant.clone(),
                id,
                name: name.to_owned(),
                scopes,
                created_at,
                expires_at: new.expires_at,
                revoked_at: None,
                last_used_at: None,
                created_by: actor.to_owned(),
            },
        })
    }

    /// The tenant's tokens (revoked and expired ones too), oldest first. The listing is
    /// audited: who looked at which credentials exist is part of the record.
    ///
    /// # Errors
    /// [`StoreError::UnknownTenant`], or a database error.
    pub async fn tokens(
        &self,
        tenant: &TenantId,
        actor: &str,
    ) -> Result<Vec<TokenInfo>, StoreError> {
        let mut tx = self.pool.begin().await?;
        ensure_tenant(&mut tx, tenant).await?;
        let rows = sqlx::query(
            "SELECT * FROM api_tokens WHERE tenant_id = $1 ORDER BY created_at, token_id",
        )
        .bind(tenant.as_str())
        .fetch_all(&mut *tx)
        .await?;
        let tokens = rows
            .iter()
            .map(token_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        audit(
            &mut tx,
            tenant,
            actor,
            "token.list",
            "tokens",
            &serde_json::json!({ "count": tokens.len() }),
        )
        .await?;
        tx.commit().await?;
        Ok(tokens)
    }

    /// Revokes a token at once. `false` when the tenant has no such token in force.
    ///
    /// # Errors
    /// A database error.
    pub async fn revoke_token(
        &self,
        tenant: &TenantId,
        actor: &str,
        id: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 \
             WHERE tenant_id = $2 AND token_id = $3 AND revoked_at IS NULL",
        )
        .bind(now())
        .bind(tenant.as_str())
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if done {
            audit(
                &mut tx,
                tenant,
                actor,
                "token.revoke",
                &format!("token:{id}"),
                &serde_json::json!({}),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(done)
    }

    /// Checks a bearer token: well-formed, known, secret matching, not revoked, not expired.
    /// The outer `Result` is the database; the inner one the verdict.
    ///
    /// # Errors
    /// A database error.
    pub async fn authenticate(
        &self,
        token: &str,
    ) -> Result<Result<TokenInfo, AuthError>, StoreError> {
        let Some((tenant, id, secret)) = split_token(token.trim()) else {
            return Ok(Err(AuthError::Invalid));
        };
        let row = sqlx::query("SELECT * FROM api_tokens WHERE tenant_id = $1 AND token_id = $2")
            .bind(tenant.as_str())
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else {
            return Ok(Err(AuthError::Invalid));
        };
        let stored_hash: String = row.try_get("secret_hash")?;
        let info = token_from_row(&row)?;
        let at = now();
        let verdict = if !constant_time_eq(hash_secret(secret).as_bytes(), stored_hash.as_bytes()) {
            Err(AuthError::Invalid)
        } else if info.revoked_at.is_some() {
            Err(AuthError::Revoked)
        } else if info.expires_at <= at {
            Err(AuthError::Expired)
        } else {
            Ok(())
        };
        match verdict {
            Err(refused) => {
                let mut tx = self.pool.begin().await?;
                audit(
                    &mut tx,
                    &tenant,
                    &format!("token:{id}"),
                    "token.refused",
                    &format!("token:{id}"),
                    &serde_json::json!({ "reason": refused.to_string() }),
                )
                .await?;
                tx.commit().await?;
                Ok(Err(refused))
            }
            Ok(()) => {
                if info
                    .last_used_at
                    .is_none_or(|last| at - last >= LAST_USED_RESOLUTION)
                {
                    let mut tx = self.pool.begin().await?;
                    // Another request may have stamped it meanwhile; only one of them audits.
                    let stamped = sqlx::query(
                        "UPDATE api_tokens SET last_used_at = $1 WHERE tenant_id = $2 \
                         AND token_id = $3 AND (last_used_at IS NULL OR last_used_at <= $4)",
                    )
                    .bind(at)
                    .bind(tenant.as_str())
                    .bind(id)
                    .bind(at - LAST_USED_RESOLUTION)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                        > 0;
                    if stamped {
                        audit(
                            &mut tx,
                            &tenant,
                            &format!("token:{id}"),
                            "token.use",
                            &format!("token:{id}"),
                            &serde_json::json!({}),
                        )
                        .await?;
                    }
                    tx.commit().await?;
                    return Ok(Ok(TokenInfo {
                        last_used_at: Some(at),
                        ..info
                    }));
                }
                Ok(Ok(info))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_split_into_tenant_id_and_secret() {
        let secret = "ab".repeat(32);
        let token = format!("wbt_gemeente-diest_0123abcd_{secret}");
        let (tenant, id, s) = split_token(&token).expect("well-formed");
        assert_eq!(tenant.as_str(), "gemeente-diest");
        assert_eq!(id, "0123abcd");
        assert_eq!(s, secret);
        assert!(split_token(&format!("wbt_Bad_01_{secret}")).is_none());
        assert!(split_token(&format!("wbt_t_01_{secret}_x")).is_none());
        assert!(split_token("wbt_t_01_short").is_none());
        assert!(split_token(&format!("xyz_t_01_{secret}")).is_none());
    }

    #[test]
    fn digests_compare_by_content() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert_eq!(
            hash_secret("x"),
            "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
        );
    }
}
