//! PLACEHOLDER: replaced by the real nvd module.
