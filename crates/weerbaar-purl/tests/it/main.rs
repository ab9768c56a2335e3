//! All integration tests of weerbaar-purl, built into one binary.

mod legacy;
mod properties;
mod sboms;
mod spec_suite;
mod type_definitions;
