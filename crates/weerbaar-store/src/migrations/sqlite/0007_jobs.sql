-- Scheduled background jobs: one row per job and time slot (slot = floor(now / interval)), so a
-- slot runs once across every instance sharing the database. The row is the claim: its holder
-- keeps lease_until in the future while it runs (heartbeat); another instance takes over a
-- running slot whose lease expired, raising fencing so the old holder can no longer finish it.
-- A global system table, not keyed by tenant: on Citus it is a reference table.
CREATE TABLE job_runs (
    job          TEXT    NOT NULL,
    slot         INTEGER NOT NULL,
    holder       TEXT    NOT NULL,
    lease_until  INTEGER NOT NULL,
    fencing      INTEGER NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    started_at   INTEGER NOT NULL,
    finished_at  INTEGER,
    detail       TEXT,
    PRIMARY KEY (job, slot)
);

CREATE INDEX job_runs_by_finish ON job_runs (finished_at);
