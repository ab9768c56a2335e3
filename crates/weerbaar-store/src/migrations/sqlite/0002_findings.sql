-- Findings: one vulnerability on one component of one asset, tracked from the rematch that first
-- saw it to the one in which it was gone. Raw facts only (ids, package, fixes, KEV/EPSS/CVSS as
-- last observed); priorities and due dates are computed from them by weerbaar-plan, so a changed
-- policy never needs a migration of stored rows.
CREATE TABLE findings (
    tenant_id       TEXT    NOT NULL REFERENCES tenants (tenant_id),
    finding_id      TEXT    NOT NULL,
    asset_key       TEXT    NOT NULL,
    component_key   TEXT    NOT NULL,
    vuln_id         TEXT    NOT NULL,
    ids             TEXT    NOT NULL,
    ecosystem       TEXT,
    package         TEXT    NOT NULL,
    version         TEXT    NOT NULL,
    purl            TEXT,
    fixed_versions  TEXT    NOT NULL,
    matched_by      TEXT    NOT NULL,
    cpe             TEXT,
    facts           TEXT    NOT NULL,
    first_seen      INTEGER NOT NULL,
    last_seen       INTEGER NOT NULL,
    resolved_at     INTEGER,
    resolution      TEXT,
    PRIMARY KEY (tenant_id, finding_id)
);

-- Every id of every finding (upper case), for "who is exposed to CVE-2024-3400" across tenants
-- without scanning JSON.
CREATE TABLE finding_ids (
    tenant_id   TEXT NOT NULL,
    id          TEXT NOT NULL,
    finding_id  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id, finding_id),
    FOREIGN KEY (tenant_id, finding_id) REFERENCES findings (tenant_id, finding_id) ON DELETE CASCADE
);

CREATE INDEX findings_by_asset ON findings (tenant_id, asset_key, resolved_at);
CREATE INDEX findings_by_first_seen ON findings (tenant_id, first_seen);
CREATE INDEX finding_ids_by_id ON finding_ids (id);
