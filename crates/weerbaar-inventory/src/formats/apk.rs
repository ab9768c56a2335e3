//! PLACEHOLDER: replaced by the real importer.

use crate::{ImportError, ImportErrorKind, Inventory};

pub fn import(file: &str, _bytes: &[u8]) -> Result<Inventory, ImportError> {
    Err(ImportError::new(
        file,
        ImportErrorKind::UnknownFormat,
        "importer not built yet",
    ))
}
