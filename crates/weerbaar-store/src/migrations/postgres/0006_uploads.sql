-- Uploads: inventories pushed to the server, processed asynchronously by the ingest worker of
-- whichever instance claims them. `body` is kept until a retention job clears it; `summary` is
-- the JSON list of per-asset import summaries once done. A claim is `claimed_by` (the worker)
-- plus `attempts` (incremented by every claim: the fencing token) and `lease_until` (after which
-- another worker may take the upload over).
CREATE TABLE uploads (
    tenant_id        TEXT    NOT NULL REFERENCES tenants (tenant_id),
    upload_id        TEXT    NOT NULL,
    file_name        TEXT    NOT NULL,
    input_format     TEXT,
    asset_name       TEXT,
    body             BYTEA,
    size             BIGINT  NOT NULL,
    sha256           TEXT    NOT NULL,
    idempotency_key  TEXT,
    status           TEXT    NOT NULL
                     CHECK (status IN ('queued', 'processing', 'done', 'failed')),
    error            TEXT,
    summary          TEXT,
    attempts         BIGINT  NOT NULL DEFAULT 0,
    claimed_by       TEXT,
    lease_until      BIGINT,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL,
    PRIMARY KEY (tenant_id, upload_id)
);

-- A retried push with the same key finds its upload instead of making a second one.
CREATE UNIQUE INDEX uploads_by_idempotency_key ON uploads (tenant_id, idempotency_key);
-- Claiming: the oldest queued upload, or a processing one whose lease ran out.
CREATE INDEX uploads_claimable ON uploads (status, created_at);
CREATE INDEX uploads_by_lease ON uploads (status, lease_until);
-- A tenant's uploads, newest first.
CREATE INDEX uploads_by_tenant_time ON uploads (tenant_id, created_at);

-- Assets whose inventory changed through the server and still need matching. `queued_at` only
-- ever grows for a row (a re-queue within the same second adds one), so the rematch job deletes
-- exactly the entries it matched and keeps one re-queued meanwhile.
CREATE TABLE rematch_queue (
    tenant_id  TEXT    NOT NULL,
    asset_key  TEXT    NOT NULL,
    queued_at  BIGINT  NOT NULL,
    PRIMARY KEY (tenant_id, asset_key)
);

CREATE INDEX rematch_queue_by_time ON rematch_queue (queued_at);
