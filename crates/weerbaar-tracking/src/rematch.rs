//! Rematching stored components and recording what was found.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use std::time::{Duration, Instant};

use serde::Serialize;
use weerbaar_inventory::model::Component;
use weerbaar_matching::Mapping;
use weerbaar_scan::{Knowledge, MatchOutcome};
use weerbaar_store::{
    CvssFact, EpssFact, FindingFacts, KevFact, ObservedFinding, PortfolioComponent,
    PortfolioPackage, RematchScope, RematchSummary, Store, TenantComponent, TenantId,
};

use crate::TrackingError;

/// Matches the stored components of `tenant` (of the assets in `scope`, or all) and records
/// what was found: new findings open, vanished ones resolve.
///
/// # Errors
/// A store error; nothing is recorded then.
pub async fn rematch(
    store: &Store,
    tenant: &TenantId,
    knowledge: &Knowledge,
    mapping: &Mapping,
    scope: Option<&[String]>,
    threads: usize,
    actor: &str,
) -> Result<RematchSummary, TrackingError> {
    let components = store.tenant_components(tenant, scope).await?;
    let refs: Vec<&Component> = components.iter().map(|c| &c.component).collect();
    let outcome = weerbaar_scan::match_components(knowledge, mapping, &refs, threads);
    let mut observed = Vec::new();
    for (m, f) in outcome.findings.iter().zip(observations(&outcome)) {
        for c in m.components.iter().filter_map(|&i| components.get(i)) {
            observed.push(f.on(c));
        }
    }
    let scope = scope.map_or(RematchScope::Tenant, RematchScope::Assets);
    Ok(store
        .record_findings(tenant, actor, scope, &observed)
        .await?)
}

/// What one finding of a match says, before it is put on a component.
struct Observation {
    ids: Vec<String>,
    fixed_versions: Vec<String>,
    matched_by: String,
    cpe: Option<String>,
    facts: FindingFacts,
}

impl Observation {
    fn on(&self, c: &TenantComponent) -> ObservedFinding {
        ObservedFinding {
            asset_key: c.asset_key.clone(),
            component_key: c.component_key.clone(),
            ids: self.ids.clone(),
            ecosystem: c.component.ecosystem.clone(),
            package: c.component.name.clone(),
            version: c.component.version.clone().unwrap_or_default(),
            purl: c.component.purl.clone(),
            fixed_versions: self.fixed_versions.clone(),
            matched_by: self.matched_by.clone(),
            cpe: self.cpe.clone(),
            facts: self.facts.clone(),
        }
    }
}

/// One [`Observation`] per finding of `outcome`, in order.
fn observations(outcome: &MatchOutcome) -> Vec<Observation> {
    outcome
        .findings
        .iter()
        .map(|m| {
            let f = &m.finding;
            Observation {
                ids: std::iter::once(f.advisory_id.clone())
                    .chain(f.aliases.iter().cloned())
                    .collect(),
                fixed_versions: f.fixed_versions.clone(),
                matched_by: serde_json::to_value(f.matched_by)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                cpe: f.cpe.clone(),
                facts: FindingFacts {
                    summary: f.summary.clone(),
                    kev: f.kev.as_ref().map(|k| KevFact {
                        cve: k.cve.clone(),
                        date_added: k.date_added.clone(),
                        due_date: k.due_date.clone(),
                        ransomware: k.ransomware,
                    }),
                    epss: f.epss.as_ref().map(|e| EpssFact {
                        cve: e.cve.clone(),
                        score: e.score,
                        percentile: e.percentile,
                    }),
                    cvss: f.cvss.as_ref().map(|c| CvssFact {
                        version: c.version.clone(),
                        vector: c.vector.clone(),
                        base_score: c.base_score,
                    }),
                },
            }
        })
        .collect()
}

/// What [`rematch_delta`] changed, over all tenants.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeltaSummary {
    /// Tenants whose findings were recorded.
    pub tenants: usize,
    pub new: usize,
    pub still_open: usize,
    pub resolved: usize,
    /// Distinct packages of the portfolio matched against the changed advisories.
    pub packages: usize,
    /// Of those, the ones a changed advisory affects.
    pub hit_packages: usize,
    /// Where the time went, step by step (for logs and the benchmark).
    pub steps: DeltaSteps,
}

/// Wall time of each step of [`rematch_delta`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DeltaSteps {
    /// Reading the portfolio's distinct packages.
    pub packages: Duration,
    /// Matching them against the changed records.
    pub match_delta: Duration,
    /// Reading the hit packages' instances and the open findings in scope.
    pub instances: Duration,
    /// Matching those against the full knowledge.
    pub match_full: Duration,
    /// Recording each tenant's findings.
    pub record: Duration,
}

impl DeltaSummary {
    fn add(&mut self, s: RematchSummary) {
        self.tenants += 1;
        self.new += s.new;
        self.still_open += s.still_open;
        self.resolved += s.resolved;
    }
}

fn package_of(c: &Component) -> PortfolioPackage {
    PortfolioPackage {
        ecosystem: c.ecosystem.clone(),
        name: c.name.clone(),
        version: c.version.clone(),
        source_name: c.source_name.clone(),
        source_version: c.source_version.clone(),
        purl: c.purl.clone(),
        cpe: c.cpe.clone(),
        vendor: c.vendor.clone(),
    }
}

fn upper(ids: &[String]) -> HashSet<String> {
    ids.iter().map(|id| id.trim().to_uppercase()).collect()
}

/// Brings every tenant's findings up to date after a feed update, visiting only what the
/// update touches.
///
/// * `knowledge`: all of the new feeds, compiled.
/// * `delta`: the changed records alone ([`crate::Delta::knowledge`]).
/// * `ids_scope`: every id and alias of the changed and removed records
///   ([`crate::Delta::ids`]).
///
/// The steps: the portfolio's distinct packages, in one query, are matched against `delta`,
/// which finds the packages a changed record affects ("hit"). Those packages, and the
/// components of open findings whose ids meet `ids_scope` (a withdrawn or corrected record
/// affects nothing in `delta` but must resolve them), are matched again against the full
/// `knowledge`: a changed record's finding is one alias group with the unchanged records
/// (GHSA, CVE, DSA of one vulnerability), and only the full index gives the group's ids, fixes
/// and facts. Each tenant with such a component or finding then records the findings that meet
/// `ids_scope` under [`RematchScope::Vulnerabilities`]: new ones open, existing ones continue,
/// in-scope ones not seen again resolve (`not-affected`). Other findings are not touched.
///
/// # Errors
/// A store error. All tenants are recorded in one transaction (one commit, not one per
/// tenant): on an error nothing is recorded.
#[allow(clippy::too_many_arguments)]
pub async fn rematch_delta(
    store: &Store,
    knowledge: &Knowledge,
    delta: &Knowledge,
    ids_scope: &[String],
    mapping: &Mapping,
    threads: usize,
    actor: &str,
) -> Result<DeltaSummary, TrackingError> {
    let mut summary = DeltaSummary::default();
    let scope = upper(ids_scope);

    // (1) and (2): which of the portfolio's packages a changed record affects.
    let mut clock = Instant::now();
    let mut lap = || {
        let now = Instant::now();
        let spent = now - clock;
        clock = now;
        spent
    };
    let packages = store.portfolio_packages().await?;
    summary.steps.packages = lap();
    summary.packages = packages.len();
    let as_components: Vec<Component> = packages
        .iter()
        .map(PortfolioPackage::to_component)
        .collect();
    let refs: Vec<&Component> = as_components.iter().collect();
    let hit_outcome = weerbaar_scan::match_components(delta, mapping, &refs, threads);
    let mut hit: BTreeSet<usize> = BTreeSet::new();
    for m in &hit_outcome.findings {
        hit.extend(m.components.iter().copied());
    }
    summary.hit_packages = hit.len();
    summary.steps.match_delta = lap();
    let hit: Vec<PortfolioPackage> = hit
        .into_iter()
        .filter_map(|i| packages.get(i).cloned())
        .collect();
    drop(as_components);
    drop(packages);

    // (3): their instances across tenants, and what the open findings in scope are on.
    let among = store.open_findings_among(ids_scope).await?;
    let mut instances: Vec<PortfolioComponent> = store.package_instances(&hit).await?;
    let mut seen: HashSet<(String, String, String)> = instances
        .iter()
        .map(|c| {
            (
                c.tenant.clone(),
                c.component.asset_key.clone(),
                c.component.component_key.clone(),
            )
        })
        .collect();
    for c in among.components {
        if seen.insert((
            c.tenant.clone(),
            c.component.asset_key.clone(),
            c.component.component_key.clone(),
        )) {
            instances.push(c);
        }
    }

    summary.steps.instances = lap();

    // Matched once per distinct package against everything.
    let mut distinct: HashMap<PortfolioPackage, usize> = HashMap::new();
    let mut carriers: Vec<Vec<usize>> = Vec::new();
    let mut representatives: Vec<&Component> = Vec::new();
    for (i, c) in instances.iter().enumerate() {
        let key = package_of(&c.component.component);
        let slot = *distinct.entry(key).or_insert_with(|| {
            carriers.push(Vec::new());
            representatives.push(&c.component.component);
            carriers.len() - 1
        });
        if let Some(list) = carriers.get_mut(slot) {
            list.push(i);
        }
    }
    let outcome = weerbaar_scan::match_components(knowledge, mapping, &representatives, threads);
    summary.steps.match_full = lap();

    // (4): per tenant, the findings in scope.
    let mut per_tenant: BTreeMap<String, (Vec<ObservedFinding>, BTreeSet<String>)> =
        BTreeMap::new();
    for (tenant, ids) in among.tenants {
        per_tenant.entry(tenant).or_default().1.extend(ids);
    }
    for (m, o) in outcome.findings.iter().zip(observations(&outcome)) {
        let in_scope: Vec<String> = o
            .ids
            .iter()
            .map(|id| id.trim().to_uppercase())
            .filter(|id| scope.contains(id))
            .collect();
        if in_scope.is_empty() {
            // Made of unchanged records only: the stored finding is already current.
            continue;
        }
        for &p in &m.components {
            for &i in carriers.get(p).map(Vec::as_slice).unwrap_or_default() {
                let Some(c) = instances.get(i) else { continue };
                let entry = per_tenant.entry(c.tenant.clone()).or_default();
                entry.0.push(o.on(&c.component));
                entry.1.extend(in_scope.iter().cloned());
            }
        }
    }
    // Narrowed to the ids each tenant has: the same findings answer, with fewer lookups.
    let mut scopes: Vec<Vec<String>> = Vec::with_capacity(per_tenant.len());
    let mut observations_of: Vec<(TenantId, Vec<ObservedFinding>)> =
        Vec::with_capacity(per_tenant.len());
    for (tenant, (observed, ids)) in per_tenant {
        observations_of.push((TenantId::new(&tenant)?, observed));
        scopes.push(ids.into_iter().collect());
    }
    let batch: Vec<(TenantId, RematchScope<'_>, Vec<ObservedFinding>)> = observations_of
        .into_iter()
        .zip(&scopes)
        .map(|((tenant, observed), ids)| (tenant, RematchScope::Vulnerabilities(ids), observed))
        .collect();
    for s in store.record_findings_of_tenants(actor, &batch).await? {
        summary.add(s);
    }
    summary.steps.record = lap();
    Ok(summary)
}
