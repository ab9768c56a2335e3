//! All integration tests of weerbaar-versions, built into one binary.

mod fixtures;
mod properties;
