-- Exceptions: decisions about findings (not affected, accepted risk until a day, false
-- positive), VEX-style. The decision itself is weerbaar-plan's `Exception`, stored as JSON in
-- `body`; `advisory` (upper case) is its scope's id, for lookups. Revoking keeps the row: an
-- exception that was in force is part of the record.
CREATE TABLE exceptions (
    tenant_id     TEXT    NOT NULL REFERENCES tenants (tenant_id),
    exception_id  TEXT    NOT NULL,
    advisory      TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    created_by    TEXT    NOT NULL,
    revoked_at    INTEGER,
    revoked_by    TEXT,
    PRIMARY KEY (tenant_id, exception_id)
);

CREATE INDEX exceptions_by_advisory ON exceptions (tenant_id, advisory);
