-- The portfolio's distinct packages, for matching a feed update once per package across every
-- tenant: a covering index on exactly the columns matching reads, so `SELECT DISTINCT` over them
-- scans the index alone (1M components: 2.7 s without it, 0.24 s with it, SQLite). `name` leads
-- so that looking up one package's instances across tenants seeks on it on both backends.
CREATE INDEX components_by_package_columns ON components
    (name, ecosystem, version, source_name, source_version, purl, cpe, vendor);
