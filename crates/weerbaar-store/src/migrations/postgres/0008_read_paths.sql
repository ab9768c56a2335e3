-- Read paths of the API at portfolio scale (measured with scripts/bench-server):
-- * findings pages are ordered by (first_seen, finding_id) in one direction, so the index
--   supplies the order; with first_seen alone, a tenant whose findings share one first_seen
--   (every finding of a first match does) was sorted in full for every page.
-- * assets carry their component count, kept by the import in the same transaction, instead of
--   counting every component of every listed asset per request.
CREATE INDEX findings_by_first_seen_id ON findings (tenant_id, first_seen, finding_id);
DROP INDEX findings_by_first_seen;
ALTER TABLE assets ADD COLUMN component_count BIGINT NOT NULL DEFAULT 0;
UPDATE assets SET component_count = (
    SELECT COUNT(*) FROM components c
    WHERE c.tenant_id = assets.tenant_id AND c.asset_key = assets.asset_key
);
