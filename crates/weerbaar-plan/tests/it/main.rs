//! Integration tests of weerbaar-plan, one binary.

mod action;
mod alert;
mod common;
mod exception;
mod export;
mod exposure;
mod policy;
mod priority;
mod scenario;
mod sla;
mod vex;
