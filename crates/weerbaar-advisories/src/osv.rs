//! PLACEHOLDER: replaced by the real osv module.
