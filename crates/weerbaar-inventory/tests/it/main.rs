//! All integration tests of weerbaar-inventory, built into one binary.

mod cyclonedx;
mod spdx;
