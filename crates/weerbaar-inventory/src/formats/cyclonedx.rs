//! PLACEHOLDER: replaced by the real importer.

use crate::{ImportError, ImportErrorKind, Inventory};

pub fn import_json(file: &str, _bytes: &[u8]) -> Result<Inventory, ImportError> {
    Err(ImportError::new(
        file,
        ImportErrorKind::UnknownFormat,
        "importer not built yet",
    ))
}

pub fn import_xml(file: &str, _bytes: &[u8]) -> Result<Inventory, ImportError> {
    Err(ImportError::new(
        file,
        ImportErrorKind::UnknownFormat,
        "importer not built yet",
    ))
}
