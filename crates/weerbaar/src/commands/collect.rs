//! `weerbaar collect`: inventory a machine or mounted root as CycloneDX 1.6 JSON.

use std::io::Write;

use anyhow::Context;

use super::Status;
use crate::cli::CollectArgs;

pub fn run(args: &CollectArgs) -> anyhow::Result<Status> {
    let mut inventory = weerbaar_inventory::collect::collect(&args.root)?;
    weerbaar_inventory::enrich(&mut inventory);
    for warning in &inventory.warnings {
        eprintln!("warning: {warning}");
    }
    let Some(asset) = inventory.assets.first() else {
        anyhow::bail!("{}: nothing to inventory", args.root.display());
    };
    let sbom = weerbaar_inventory::export::cyclonedx_json(asset, env!("CARGO_PKG_VERSION"));
    match &args.output {
        Some(path) => {
            // Write next to the target and rename, so a reader never sees half an SBOM.
            let tmp = path.with_extension("tmp");
            std::fs::write(&tmp, sbom.as_bytes())
                .with_context(|| format!("writing {}", tmp.display()))?;
            std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
            eprintln!(
                "{}: {} components written to {}",
                args.root.display(),
                asset.components.len(),
                path.display()
            );
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(sbom.as_bytes())?;
            out.write_all(b"\n")?;
        }
    }
    Ok(Status::Success)
}
