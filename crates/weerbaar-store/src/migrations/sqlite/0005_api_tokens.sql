-- API tokens: how a municipality's servers push inventories and how the provider's tools read.
-- The token string names its tenant and id (wbt_<tenant>_<id>_<secret>), so a lookup is by
-- primary key within one tenant; only the SHA-256 of the secret is kept. Revoking keeps the
-- row (who could act, until when, is part of the record).
CREATE TABLE api_tokens (
    tenant_id     TEXT    NOT NULL REFERENCES tenants (tenant_id),
    token_id      TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    secret_hash   TEXT    NOT NULL,
    scopes        TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    revoked_at    INTEGER,
    last_used_at  INTEGER,
    created_by    TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, token_id)
);
