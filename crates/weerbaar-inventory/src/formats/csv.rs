//! PLACEHOLDER: replaced by the real importer.

use crate::{ImportError, ImportErrorKind, Inventory};

/// Which CSV column holds which inventory field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ColumnMap {
    pub fields: Vec<(String, String)>,
}

pub fn import(
    file: &str,
    _bytes: &[u8],
    _columns: Option<&ColumnMap>,
) -> Result<Inventory, ImportError> {
    Err(ImportError::new(
        file,
        ImportErrorKind::UnknownFormat,
        "importer not built yet",
    ))
}
