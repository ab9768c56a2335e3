//! All integration tests of weerbaar-tracking, built into one binary.

mod delta;
