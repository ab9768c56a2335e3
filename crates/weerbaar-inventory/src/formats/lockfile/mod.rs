//! Application lockfiles: the exact dependency versions of the provider's own software.

pub mod cargo;
pub mod composer;
pub mod gemfile;
pub mod npm;
pub mod pip;
pub mod poetry;
