//! All integration tests of weerbaar-inventory, built into one binary.

mod apk;
mod collect;
mod csv_import;
mod cyclonedx;
mod dpkg;
mod export;
mod lockfile;
mod os_release;
mod osquery;
mod rpm;
mod spdx;
