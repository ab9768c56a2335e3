//! Authentication and authorisation, in one place: the [`Authorized`] extractor.
//!
//! A handler states what it needs in its signature (`Authorized<Read>`); the extractor reads
//! `Authorization: Bearer <token>`, checks the token with the store, and, on routes under
//! `/api/v1/tenants/{tenant}/`, that the token belongs to that tenant. No handler checks
//! permissions itself.
//!
//! * **401 `unauthorized`**: no token, a malformed or unknown one, a wrong secret, an expired
//!   or revoked token.
//! * **404 `not_found`** for another tenant's data: a token of tenant A asking for tenant B's
//!   resources gets exactly the answer a nonexistent tenant gets, so tokens cannot be used to
//!   learn which municipalities are customers.
//! * **403 `forbidden`**: the right tenant, but a scope the token lacks (an ingest-only token
//!   reading findings), or a provider-wide route without the `admin` scope.

use std::marker::PhantomData;

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::header;
use axum::http::request::Parts;
use weerbaar_store::{AuthError, Scope, TenantId, TokenInfo};

use crate::AppState;
use crate::error::ApiError;

/// Who is calling: the token's tenant and scopes.
#[derive(Debug, Clone)]
pub struct Principal {
    pub token: TokenInfo,
}

impl Principal {
    /// The audit log's actor for changes made through the API.
    #[must_use]
    pub fn actor(&self) -> String {
        format!("token:{}:{}", self.token.tenant, self.token.id)
    }

    #[must_use]
    pub fn is_admin(&self) -> bool {
        self.token.scopes.contains(&Scope::Admin)
    }
}

/// What a route requires, as a type.
pub trait Required: Send + Sync + 'static {
    /// Named in the 403 message.
    const NEEDS: &'static str;
    fn allows(token: &TokenInfo) -> bool;
}

/// Reading a tenant's data.
#[derive(Debug)]
pub struct Read;
/// Pushing inventories.
#[derive(Debug)]
pub struct Ingest;
/// Following an upload: whoever pushed it, or a reader.
#[derive(Debug)]
pub struct ReadOrIngest;
/// Provider-wide administration.
#[derive(Debug)]
pub struct Admin;

impl Required for Read {
    const NEEDS: &'static str = "the read scope";
    fn allows(token: &TokenInfo) -> bool {
        token.allows(Scope::Read)
    }
}
impl Required for Ingest {
    const NEEDS: &'static str = "the ingest scope";
    fn allows(token: &TokenInfo) -> bool {
        token.allows(Scope::Ingest)
    }
}
impl Required for ReadOrIngest {
    const NEEDS: &'static str = "the read or ingest scope";
    fn allows(token: &TokenInfo) -> bool {
        token.allows(Scope::Read) || token.allows(Scope::Ingest)
    }
}
impl Required for Admin {
    const NEEDS: &'static str = "the admin scope";
    fn allows(token: &TokenInfo) -> bool {
        token.scopes.contains(&Scope::Admin)
    }
}

/// A caller allowed to do `S`, and, on tenant routes, the tenant of the path.
#[derive(Debug)]
pub struct Authorized<S> {
    pub principal: Principal,
    /// The `{tenant}` of the path, when the route has one (checked against the token).
    pub tenant: Option<TenantId>,
    _scope: PhantomData<S>,
}

impl<S> Authorized<S> {
    /// The path's tenant; routes without `{tenant}` never call this.
    ///
    /// # Errors
    /// An internal error when the route has no `{tenant}` (a routing mistake).
    pub fn tenant(&self) -> Result<&TenantId, ApiError> {
        self.tenant
            .as_ref()
            .ok_or_else(|| ApiError::internal("route without a tenant"))
    }
}

fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    let value = parts
        .headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::unauthorized("send Authorization: Bearer <token>"))?;
    let value = value
        .to_str()
        .map_err(|_| ApiError::unauthorized("the Authorization header is not text"))?;
    let (scheme, token) = value
        .split_once(' ')
        .ok_or_else(|| ApiError::unauthorized("send Authorization: Bearer <token>"))?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(ApiError::unauthorized("only Bearer tokens are accepted"));
    }
    Ok(token.trim())
}

impl<S: Required> FromRequestParts<AppState> for Authorized<S> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(parts)?;
        let info = match state.store.authenticate(token).await? {
            Ok(info) => info,
            Err(refused) => {
                // Never the token itself: only why it was refused.
                tracing::info!(reason = %refused, "token refused");
                return Err(ApiError::unauthorized(match refused {
                    AuthError::Invalid => "the token is malformed or unknown",
                    AuthError::Expired => "the token expired; ask for a new one",
                    AuthError::Revoked => "the token was revoked",
                }));
            }
        };
        let principal = Principal { token: info };
        let path_tenant = RawPathParams::from_request_parts(parts, state)
            .await
            .ok()
            .and_then(|params| {
                params
                    .iter()
                    .find(|(name, _)| *name == "tenant")
                    .map(|(_, value)| value.to_owned())
            });
        let tenant = match path_tenant {
            None => None,
            Some(raw) => {
                let tenant =
                    TenantId::new(&raw).map_err(|e| ApiError::invalid_parameter(e.to_string()))?;
                if !principal.is_admin() && principal.token.tenant != tenant {
                    return Err(ApiError::not_found(format!("no tenant {raw:?}")));
                }
                Some(tenant)
            }
        };
        if !S::allows(&principal.token) {
            return Err(ApiError::forbidden(format!(
                "this needs a token with {}",
                S::NEEDS
            )));
        }
        Ok(Self {
            principal,
            tenant,
            _scope: PhantomData,
        })
    }
}
