//! PLACEHOLDER: replaced by the real kev module.
