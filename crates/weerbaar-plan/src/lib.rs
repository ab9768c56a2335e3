//! The patch plan: what to patch first, by when, on which machines, and what each upgrade fixes.
//!
//! A pure domain crate (no SQL, no HTTP, no clock): storage, the `plan`/`exposure`/`findings`
//! commands and notifications are adapters around it. Everything takes "today" as an argument,
//! so every answer is reproducible and testable on any date.
//!
//! The pipeline, one module per step:
//!
//! 1. [`finding`]: the input, one advisory on one package of one asset, with KEV, EPSS and CVSS
//!    facts attached by the scan layer.
//! 2. [`priority`]: CISA's SSVC decision (Act, Attend, Track*, Track) with structured reasons.
//! 3. [`policy`]: the due date from a per-tenant TOML policy (KEV 14 days or KEV's own due date;
//!    CVSS critical on an internet-facing asset 7; critical 15; high 30; medium 90; low 180).
//! 4. [`exception`]: VEX-style exceptions and the effective state of a finding on a day.
//! 5. [`action`]: findings grouped into fix actions ("upgrade openssl to 3.0.7-25.el9 on 14
//!    hosts: fixes 9 advisories, 2 of them in KEV").
//! 6. [`sla`]: SLA states, time to remediate, overdue counts over time.
//! 7. [`plan`]: the steps above for one tenant on one day; [`export`] renders it as CSV and
//!    printable HTML; [`vex`] imports and exports CycloneDX VEX; [`exposure`] answers the
//!    portfolio questions (who is exposed to this CVE, what is new since a day); [`alert`] says
//!    which changes deserve a notification (new KEV, new Act).
//!
//! Design decisions (details in each module):
//!
//! * **Two orders, two questions.** The SSVC decision says how urgent a finding is relative to
//!   others (it weighs asset criticality and exposure); the due date is the service level a
//!   tenant agreed to (it follows KEV and CVSS severity). Actions are ordered by decision, then
//!   due date, then name.
//! * **Own input types.** The plan defines [`Finding`] instead of borrowing the matcher's or the
//!   store's types, so either can change without touching prioritisation.
//! * **Calendar days.** Due dates are days in the tenant's calendar; "resolved in time" means on
//!   or before the due day. The adapter turns timestamps into days with the tenant's time zone.
//! * **Structured text.** Reasons, rules and actions are values with `text(lang)`/`title(lang)`
//!   in English and Dutch (nl-BE), so the CLI, the web UI and the exports say the same thing.
//! * **Nothing panics on input**: unknown ecosystems and unparsable versions fall back to a
//!   generic order; dates saturate at the end of the calendar; files produce located errors.

pub mod action;
pub mod alert;
pub mod exception;
pub mod export;
pub mod exposure;
pub mod finding;
pub mod lang;
pub mod plan;
pub mod policy;
pub mod priority;
pub mod sla;
pub mod vex;

pub use action::{Action, ActionKind, Assessed};
pub use exception::{EffectiveState, Exception, ExceptionKind, Justification, Scope};
pub use finding::{AssetRef, Cvss, Epss, Finding, Kev, Package};
pub use lang::Lang;
pub use plan::{Plan, build};
pub use policy::{DueDate, DueRule, Policy, PolicyError, PolicySet};
pub use priority::{Decision, Priority, Reason};
pub use sla::SlaState;
