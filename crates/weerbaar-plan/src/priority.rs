//! The priority of a finding: CISA's SSVC decision, with its reasons.
//!
//! CISA's SSVC guide (<https://www.cisa.gov/stakeholder-specific-vulnerability-categorization-ssvc>,
//! the "CISA coordinator" tree, published as `cisa_coordinator_2_0_3.csv` in CERT/CC's SSVC
//! repository) decides from four decision points. [`decide`] is that table, all 36 rows. How
//! weerbaar fills in each decision point from what it knows:
//!
//! | decision point | value | from |
//! |---|---|---|
//! | Exploitation | `active` | the CVE is in CISA's KEV catalog |
//! | | `public PoC` | EPSS probability ≥ [`Rules::epss_threshold`] (default 0.1) or percentile ≥ [`Rules::epss_percentile_threshold`] (default 0.95) |
//! | | `none` | otherwise |
//! | Automatable | `yes` | the asset is internet-facing **and** the CVSS vector says network attack vector, low complexity (v4: and no attack requirements), no privileges, no user interaction |
//! | | `no` | otherwise; without a vector: `yes` exactly when internet-facing |
//! | Technical Impact | `total` | CERT/CC's CVSS→Technical Impact table (`cvssv4_to_technical_impact`), applied to v3 `PR`/`C`/`I` and v4 `PR`/`VC`/`VI`: confidentiality and integrity both high, or no privileges and one high with the other at least low |
//! | | `partial` | otherwise; without a vector: `total` |
//! | Mission & Well-being | `low` / `medium` / `high` | asset criticality low / normal / high or critical |
//!
//! Decisions:
//!
//! * EPSS stands in for "public PoC": EPSS predicts exploitation activity, which is the best
//!   automated evidence weerbaar has that a working exploit circulates. A high EPSS never makes a
//!   finding `active`; only KEV does, because "active" must be observed, not predicted.
//! * Automatable is narrowed by exposure. CISA defines it on the vulnerability alone; a
//!   municipality's internal server behind the town hall's firewall needs a foothold first, which
//!   is the step that cannot be automated from outside. This is where "internet-facing" enters the
//!   decision, as CERT/CC's deployer tree does with its Exposure decision point.
//! * SSVC asks for no "unknown" values; it wants a reasonable assumption instead. Missing data
//!   assumes the worse value (no vector: total impact; automatable when internet-facing), so a
//!   finding never drops in priority because a feed lacked a vector. The reasons say so.
//! * The CVSS base score does not enter the tree (the vector does, through Technical Impact and
//!   Automatable); it is reported as a reason and drives the due date ([`crate::policy`]).
//! * Reasons are structured ([`Reason`]) so the UI can render them in either language;
//!   [`Reason::text`] gives English and Dutch (nl-BE).

use std::fmt;

use serde::{Deserialize, Serialize};
use weerbaar_inventory::model::{Criticality, Exposure};

use crate::finding::{Cvss, Finding};
use crate::lang::Lang;

/// CISA's SSVC outcomes, ordered from least to most urgent.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Remediate within standard update timelines.
    #[default]
    Track,
    /// Standard timelines, but watch closely for changes.
    #[serde(rename = "track*")]
    TrackStar,
    /// Remediate sooner than standard timelines; supervisors are told.
    Attend,
    /// Remediate as soon as possible; leadership is told.
    Act,
}

impl Decision {
    /// Every decision, most urgent first.
    pub const ALL: [Self; 4] = [Self::Act, Self::Attend, Self::TrackStar, Self::Track];

    /// `act`, `attend`, `track*`, `track`: stable keywords for storage and JSON.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Track => "track",
            Self::TrackStar => "track*",
            Self::Attend => "attend",
            Self::Act => "act",
        }
    }

    /// SSVC's own names. They stay English in Dutch texts: they are the standard's terms.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Track => "Track",
            Self::TrackStar => "Track*",
            Self::Attend => "Attend",
            Self::Act => "Act",
        }
    }

    /// What the decision asks of the tenant, after CISA's guide.
    #[must_use]
    pub fn meaning(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Act, Lang::En) => "remediate as soon as possible",
            (Self::Act, Lang::NlBe) => "zo snel mogelijk verhelpen",
            (Self::Attend, Lang::En) => "remediate sooner than the standard timeline",
            (Self::Attend, Lang::NlBe) => "sneller verhelpen dan de standaardtermijn",
            (Self::TrackStar, Lang::En) => "standard timeline, monitor closely",
            (Self::TrackStar, Lang::NlBe) => "standaardtermijn, nauwgezet opvolgen",
            (Self::Track, Lang::En) => "standard timeline",
            (Self::Track, Lang::NlBe) => "standaardtermijn",
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// SSVC decision point "Exploitation".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exploitation {
    None,
    PublicPoc,
    Active,
}

/// SSVC decision point "Automatable".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Automatable {
    No,
    Yes,
}

/// SSVC decision point "Technical Impact".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TechnicalImpact {
    Partial,
    Total,
}

/// SSVC decision point "Mission & Well-being".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissionWellbeing {
    Low,
    Medium,
    High,
}

impl From<Criticality> for MissionWellbeing {
    fn from(c: Criticality) -> Self {
        match c {
            Criticality::Low => Self::Low,
            Criticality::Normal => Self::Medium,
            Criticality::High | Criticality::Critical => Self::High,
        }
    }
}

/// The four decision points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DecisionPoints {
    pub exploitation: Exploitation,
    pub automatable: Automatable,
    pub technical_impact: TechnicalImpact,
    pub mission_wellbeing: MissionWellbeing,
}

/// CISA's decision table (`cisa_coordinator_2_0_3.csv`, rows 0–35).
#[must_use]
pub fn decide(p: DecisionPoints) -> Decision {
    use Automatable as A;
    use Decision::{Act, Attend, Track, TrackStar};
    use Exploitation as E;
    use MissionWellbeing as M;
    use TechnicalImpact as T;
    let DecisionPoints {
        exploitation: e,
        automatable: a,
        technical_impact: t,
        mission_wellbeing: m,
    } = p;
    match (e, a, t, m) {
        (E::None, A::No, T::Total, M::High) => TrackStar,
        (E::None, A::No, _, _) => Track,
        (E::None, A::Yes, _, M::High) => Attend,
        (E::None, A::Yes, _, _) => Track,
        (E::PublicPoc, _, _, M::Low) => Track,
        (E::PublicPoc, A::No, T::Partial, M::Medium) => Track,
        (E::PublicPoc, A::No, T::Partial, M::High) => TrackStar,
        (E::PublicPoc, _, T::Total, M::Medium) => TrackStar,
        (E::PublicPoc, A::No, T::Total, M::High) => Attend,
        (E::PublicPoc, A::Yes, T::Partial, M::Medium) => Track,
        (E::PublicPoc, A::Yes, _, M::High) => Attend,
        (E::Active, A::No, _, M::Low) => Track,
        (E::Active, A::No, T::Partial, M::Medium) => Track,
        (E::Active, A::No, T::Partial, M::High) => Attend,
        (E::Active, A::No, T::Total, M::Medium) => Attend,
        (E::Active, A::No, T::Total, M::High) => Act,
        (E::Active, A::Yes, _, M::Low) => Attend,
        (E::Active, A::Yes, T::Partial, M::Medium) => Attend,
        (E::Active, A::Yes, T::Total, M::Medium) => Act,
        (E::Active, A::Yes, _, M::High) => Act,
    }
}

/// Thresholds for turning EPSS into the Exploitation decision point.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rules {
    /// EPSS probability at or above which exploitation counts as "public PoC".
    pub epss_threshold: f64,
    /// EPSS percentile at or above which exploitation counts as "public PoC".
    pub epss_percentile_threshold: f64,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            epss_threshold: 0.1,
            epss_percentile_threshold: 0.95,
        }
    }
}

/// One reason behind a decision, renderable in either language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    /// Listed in CISA's KEV catalog: exploitation is active.
    KevListed { date_added: jiff::civil::Date },
    /// KEV says ransomware campaigns use it.
    KnownRansomware,
    /// EPSS at or above the threshold: treated as public PoC.
    EpssHigh { score: f64, percentile: f64 },
    /// EPSS below the threshold.
    EpssLow { score: f64, percentile: f64 },
    /// Neither KEV nor EPSS says anything.
    NoExploitationData,
    /// The asset is reachable from the internet.
    InternetFacing,
    /// The asset is internal.
    Internal,
    /// The vector allows an unauthenticated network attack without user interaction.
    RemoteUnauthenticated,
    /// The vector needs something an automated attack does not have.
    NeedsFoothold { metric: String, value: String },
    /// Confidentiality and integrity are lost: total technical impact.
    TotalImpact,
    /// Partial technical impact.
    PartialImpact,
    /// No usable CVSS vector: total impact assumed.
    NoVector,
    /// The CVSS base score.
    CvssScore { version: String, score: f64 },
    /// The asset's criticality.
    AssetCriticality { criticality: Criticality },
}

impl Reason {
    /// The reason in words.
    #[must_use]
    pub fn text(&self, lang: Lang) -> String {
        let pct = |p: f64| format!("{:.0}", p * 100.0);
        match (self, lang) {
            (Self::KevListed { date_added }, Lang::En) => {
                format!("actively exploited (in CISA KEV since {date_added})")
            }
            (Self::KevListed { date_added }, Lang::NlBe) => {
                format!("wordt actief misbruikt (in CISA KEV sinds {date_added})")
            }
            (Self::KnownRansomware, Lang::En) => "used in ransomware campaigns".into(),
            (Self::KnownRansomware, Lang::NlBe) => "gebruikt in ransomwarecampagnes".into(),
            (Self::EpssHigh { score, percentile }, Lang::En) => format!(
                "exploitation likely (EPSS {score:.3}, percentile {})",
                pct(*percentile)
            ),
            (Self::EpssHigh { score, percentile }, Lang::NlBe) => format!(
                "misbruik waarschijnlijk (EPSS {}, percentiel {})",
                comma(format!("{score:.3}")),
                pct(*percentile)
            ),
            (Self::EpssLow { score, percentile }, Lang::En) => format!(
                "no known exploitation (EPSS {score:.3}, percentile {})",
                pct(*percentile)
            ),
            (Self::EpssLow { score, percentile }, Lang::NlBe) => format!(
                "geen gekend misbruik (EPSS {}, percentiel {})",
                comma(format!("{score:.3}")),
                pct(*percentile)
            ),
            (Self::NoExploitationData, Lang::En) => "no known exploitation".into(),
            (Self::NoExploitationData, Lang::NlBe) => "geen gekend misbruik".into(),
            (Self::InternetFacing, Lang::En) => "internet-facing".into(),
            (Self::InternetFacing, Lang::NlBe) => "bereikbaar vanaf het internet".into(),
            (Self::Internal, Lang::En) => "internal only".into(),
            (Self::Internal, Lang::NlBe) => "enkel intern bereikbaar".into(),
            (Self::RemoteUnauthenticated, Lang::En) => {
                "attackable over the network without login or user action".into()
            }
            (Self::RemoteUnauthenticated, Lang::NlBe) => {
                "aanvalbaar via het netwerk zonder login of handeling van een gebruiker".into()
            }
            (Self::NeedsFoothold { metric, value }, Lang::En) => {
                format!("attack needs more than network access ({metric}:{value})")
            }
            (Self::NeedsFoothold { metric, value }, Lang::NlBe) => {
                format!("aanval vraagt meer dan netwerktoegang ({metric}:{value})")
            }
            (Self::TotalImpact, Lang::En) => "total control or disclosure".into(),
            (Self::TotalImpact, Lang::NlBe) => "volledige controle of openbaarmaking".into(),
            (Self::PartialImpact, Lang::En) => "partial impact".into(),
            (Self::PartialImpact, Lang::NlBe) => "gedeeltelijke impact".into(),
            (Self::NoVector, Lang::En) => "no CVSS vector: total impact assumed".into(),
            (Self::NoVector, Lang::NlBe) => "geen CVSS-vector: volledige impact aangenomen".into(),
            (Self::CvssScore { version, score }, Lang::En) => {
                format!("CVSS {version} base score {score:.1}")
            }
            (Self::CvssScore { version, score }, Lang::NlBe) => {
                format!("CVSS {version} basisscore {}", comma(format!("{score:.1}")))
            }
            (Self::AssetCriticality { criticality }, Lang::En) => {
                format!("asset criticality {}", criticality_word(*criticality, lang))
            }
            (Self::AssetCriticality { criticality }, Lang::NlBe) => {
                format!(
                    "kriticiteit van het systeem: {}",
                    criticality_word(*criticality, lang)
                )
            }
        }
    }
}

/// Dutch writes a decimal comma.
fn comma(s: String) -> String {
    s.replace('.', ",")
}

fn criticality_word(c: Criticality, lang: Lang) -> &'static str {
    match c {
        Criticality::Low => lang.pick("low", "laag"),
        Criticality::Normal => lang.pick("normal", "normaal"),
        Criticality::High => lang.pick("high", "hoog"),
        Criticality::Critical => lang.pick("critical", "kritiek"),
    }
}

/// A decision with the decision points and reasons that led to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Priority {
    pub decision: Decision,
    pub points: DecisionPoints,
    pub reasons: Vec<Reason>,
}

impl Priority {
    /// The reasons as one sentence: `Act: actively exploited (…); internet-facing; …`.
    #[must_use]
    pub fn explain(&self, lang: Lang) -> String {
        let parts: Vec<String> = self.reasons.iter().map(|r| r.text(lang)).collect();
        format!("{}: {}", self.decision.label(), parts.join("; "))
    }
}

/// The SSVC decision for one finding.
#[must_use]
pub fn assess(finding: &Finding, rules: &Rules) -> Priority {
    let mut reasons = Vec::new();

    let exploitation = if let Some(kev) = &finding.kev {
        reasons.push(Reason::KevListed {
            date_added: kev.date_added,
        });
        if kev.ransomware {
            reasons.push(Reason::KnownRansomware);
        }
        Exploitation::Active
    } else if let Some(epss) = finding.epss {
        let (score, percentile) = (epss.score, epss.percentile);
        if score >= rules.epss_threshold || percentile >= rules.epss_percentile_threshold {
            reasons.push(Reason::EpssHigh { score, percentile });
            Exploitation::PublicPoc
        } else {
            reasons.push(Reason::EpssLow { score, percentile });
            Exploitation::None
        }
    } else {
        reasons.push(Reason::NoExploitationData);
        Exploitation::None
    };

    let internet = finding.asset.exposure == Exposure::InternetFacing;
    reasons.push(if internet {
        Reason::InternetFacing
    } else {
        Reason::Internal
    });

    let vector = finding.cvss.as_ref().and_then(VectorFacts::read);
    let automatable = match &vector {
        Some(facts) => match &facts.foothold {
            None => {
                if internet {
                    reasons.push(Reason::RemoteUnauthenticated);
                }
                if internet {
                    Automatable::Yes
                } else {
                    Automatable::No
                }
            }
            Some((metric, value)) => {
                reasons.push(Reason::NeedsFoothold {
                    metric: (*metric).to_owned(),
                    value: value.clone(),
                });
                Automatable::No
            }
        },
        None if internet => Automatable::Yes,
        None => Automatable::No,
    };

    let technical_impact = match &vector {
        Some(facts) if facts.total => {
            reasons.push(Reason::TotalImpact);
            TechnicalImpact::Total
        }
        Some(_) => {
            reasons.push(Reason::PartialImpact);
            TechnicalImpact::Partial
        }
        None => {
            reasons.push(Reason::NoVector);
            TechnicalImpact::Total
        }
    };
    if let (Some(cvss), Some(facts)) = (&finding.cvss, &vector) {
        reasons.push(Reason::CvssScore {
            version: facts.version.clone(),
            score: cvss.base_score,
        });
    }

    reasons.push(Reason::AssetCriticality {
        criticality: finding.asset.criticality,
    });
    let points = DecisionPoints {
        exploitation,
        automatable,
        technical_impact,
        mission_wellbeing: finding.asset.criticality.into(),
    };
    Priority {
        decision: decide(points),
        points,
        reasons,
    }
}

/// What the SSVC mapping reads from a CVSS vector.
struct VectorFacts {
    version: String,
    /// The first metric that keeps an attack from being automatable from the network.
    foothold: Option<(&'static str, String)>,
    total: bool,
}

impl VectorFacts {
    /// `None` when the vector is not v3/v4 or lacks a metric the mapping needs.
    fn read(cvss: &Cvss) -> Option<Self> {
        let version = cvss.version()?.to_owned();
        let v4 = match version.as_str() {
            "3.0" | "3.1" => false,
            "4.0" => true,
            _ => return None,
        };
        let (conf, integ) = if v4 { ("VC", "VI") } else { ("C", "I") };
        let get = |m: &str| cvss.metric(m).map(str::to_owned);
        let av = get("AV")?;
        let ac = get("AC")?;
        let pr = get("PR")?;
        let ui = get("UI")?;
        let c = get(conf)?;
        let i = get(integ)?;
        let mut required: Vec<(&'static str, String, &str)> = vec![
            ("AV", av, "N"),
            ("AC", ac, "L"),
            ("PR", pr.clone(), "N"),
            ("UI", ui, "N"),
        ];
        if v4 {
            required.push(("AT", get("AT")?, "N"));
        }
        let foothold = required
            .into_iter()
            .find(|(_, value, want)| value != want)
            .map(|(metric, value, _)| (metric, value));
        let level = |v: &str| match v {
            "H" => 2,
            "L" => 1,
            _ => 0,
        };
        let (lc, li) = (level(&c), level(&i));
        // CERT/CC's cvssv4_to_technical_impact: total for (C,I) = (H,H) at any PR, and for
        // (H,L) or (L,H) when no privileges are needed.
        let total = (lc == 2 && li == 2) || (pr == "N" && lc.max(li) == 2 && lc.min(li) >= 1);
        Some(Self {
            version,
            foothold,
            total,
        })
    }
}
