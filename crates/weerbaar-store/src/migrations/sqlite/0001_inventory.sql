-- Inventory: tenants, their assets and the components on each asset; import history; audit log.
-- Every table carries tenant_id and leads its primary key with it, so a provider can shard by
-- tenant (Citus distribution column) without a redesign.
CREATE TABLE tenants (
    tenant_id   TEXT    NOT NULL PRIMARY KEY,
    name        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE assets (
    tenant_id      TEXT    NOT NULL REFERENCES tenants (tenant_id),
    asset_key      TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    os_id          TEXT,
    os_version     TEXT,
    os             TEXT,
    zone           TEXT,
    owner          TEXT,
    criticality    TEXT    NOT NULL,
    exposure       TEXT    NOT NULL,
    tags           TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, asset_key)
);

CREATE TABLE components (
    tenant_id        TEXT    NOT NULL,
    asset_key        TEXT    NOT NULL,
    component_key    TEXT    NOT NULL,
    ecosystem        TEXT,
    name             TEXT    NOT NULL CHECK (name <> ''),
    version          TEXT,
    purl             TEXT,
    cpe              TEXT,
    vendor           TEXT,
    source_name      TEXT,
    source_version   TEXT,
    source_file      TEXT    NOT NULL,
    source_location  TEXT    NOT NULL,
    first_seen       INTEGER NOT NULL,
    last_seen        INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, asset_key, component_key),
    FOREIGN KEY (tenant_id, asset_key) REFERENCES assets (tenant_id, asset_key) ON DELETE CASCADE
);

CREATE TABLE imports (
    tenant_id    TEXT    NOT NULL,
    import_id    TEXT    NOT NULL,
    asset_key    TEXT    NOT NULL,
    file         TEXT    NOT NULL,
    format       TEXT    NOT NULL,
    components   INTEGER NOT NULL,
    added        INTEGER NOT NULL,
    removed      INTEGER NOT NULL,
    imported_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, import_id)
);

CREATE TABLE audit_log (
    tenant_id  TEXT    NOT NULL,
    audit_id   TEXT    NOT NULL,
    at         INTEGER NOT NULL,
    actor      TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    object     TEXT    NOT NULL,
    detail     TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, audit_id)
);

CREATE INDEX components_by_package ON components (tenant_id, ecosystem, name);
CREATE INDEX audit_log_by_time ON audit_log (tenant_id, at);
