//! PLACEHOLDER: replaced by the real cvss module.
