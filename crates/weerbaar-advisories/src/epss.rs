//! PLACEHOLDER: replaced by the real epss module.
