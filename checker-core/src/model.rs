//! The contract's axes, states and severities, with their fixed order and codes.

use serde::{Deserialize, Serialize};

/// One axis of the classification; results come out in the order of [`AXES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Axis {
    #[serde(rename = "filing")]
    Filing,
    #[serde(rename = "refile")]
    Refile,
    #[serde(rename = "domain")]
    Domain,
    #[serde(rename = "licence")]
    Licence,
    #[serde(rename = "annualReport")]
    AnnualReport,
    #[serde(rename = "publicSecurity")]
    PublicSecurity,
}

/// Every axis, in output order.
pub const AXES: [Axis; 6] = [
    Axis::Filing,
    Axis::Refile,
    Axis::Domain,
    Axis::Licence,
    Axis::AnnualReport,
    Axis::PublicSecurity,
];

impl Axis {
    /// The contract's name of the axis (`"annualReport"`), also its key in the rules data.
    pub fn code(self) -> &'static str {
        match self {
            Axis::Filing => "filing",
            Axis::Refile => "refile",
            Axis::Domain => "domain",
            Axis::Licence => "licence",
            Axis::AnnualReport => "annualReport",
            Axis::PublicSecurity => "publicSecurity",
        }
    }

    /// The states of this axis, in the contract's row order (first matching row wins).
    pub fn states(self) -> impl Iterator<Item = State> {
        STATES.iter().copied().filter(move |s| s.axis() == self)
    }
}

/// How serious a result is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Ok,
    Info,
    Warning,
    Danger,
}

impl Severity {
    /// The contract's name (`"warning"`).
    pub fn code(self) -> &'static str {
        match self {
            Severity::Ok => "ok",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Danger => "danger",
        }
    }
}

macro_rules! states {
    ($( $variant:ident = $code:literal => $axis:ident, $severity:ident; )*) => {
        /// One state of the contract; serialized as its code (`"SERVER_EXPIRING_SOON"`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum State {
            $( #[serde(rename = $code)] $variant, )*
        }

        /// Every state, grouped by axis in [`AXES`] order, each axis in the contract's row order.
        pub const STATES: &[State] = &[ $( State::$variant, )* ];

        impl State {
            /// The axis the state belongs to.
            pub fn axis(self) -> Axis {
                match self { $( State::$variant => Axis::$axis, )* }
            }

            /// The severity the contract gives the state.
            pub fn severity(self) -> Severity {
                match self { $( State::$variant => Severity::$severity, )* }
            }

            /// The contract's code (`"SERVER_EXPIRING_SOON"`), also its key in the rules data.
            pub fn code(self) -> &'static str {
                match self { $( State::$variant => $code, )* }
            }

            /// Whether results in this state carry a `deadline` (and so `{days}`/`{deadline}` texts).
            pub fn has_deadline(self) -> bool {
                !matches!(
                    self,
                    State::FilingCancelledRefile
                        | State::AccessCancelledShell
                        | State::FilingActive
                        | State::FilingFound
                        | State::ServerIneligibleForFiling
                        | State::DomainTooShortForFiling
                        | State::RefileNotChecked
                        | State::RefileEligible
                        | State::AnnualReportNotDue
                        | State::AnnualReportMissed
                        | State::GaFiled
                )
            }

            /// The state with this code, if any.
            pub fn from_code(code: &str) -> Option<State> {
                STATES.iter().copied().find(|s| s.code() == code)
            }
        }
    };
}

states! {
    FilingCancelledRefile = "FILING_CANCELLED_REFILE" => Filing, Danger;
    AccessCancelledShell = "ACCESS_CANCELLED_SHELL" => Filing, Danger;
    RectificationOverdue = "RECTIFICATION_OVERDUE" => Filing, Danger;
    RectificationOpenServerExpired = "RECTIFICATION_OPEN_SERVER_EXPIRED" => Filing, Danger;
    RectificationOpen = "RECTIFICATION_OPEN" => Filing, Warning;
    ServerExpiredLongAgo = "SERVER_EXPIRED_LONG_AGO" => Filing, Danger;
    ServerExpiredFilingAtRisk = "SERVER_EXPIRED_FILING_AT_RISK" => Filing, Danger;
    ServerExpiresToday = "SERVER_EXPIRES_TODAY" => Filing, Warning;
    ServerExpiringSoon = "SERVER_EXPIRING_SOON" => Filing, Warning;
    ServerActive = "SERVER_ACTIVE" => Filing, Ok;
    FilingActive = "FILING_ACTIVE" => Filing, Ok;
    FilingFound = "FILING_FOUND" => Filing, Info;
    ServerIneligibleForFiling = "SERVER_INELIGIBLE_FOR_FILING" => Refile, Danger;
    DomainTooShortForFiling = "DOMAIN_TOO_SHORT_FOR_FILING" => Refile, Warning;
    RefileNotChecked = "REFILE_NOT_CHECKED" => Refile, Info;
    RefileEligible = "REFILE_ELIGIBLE" => Refile, Ok;
    DomainExpired = "DOMAIN_EXPIRED" => Domain, Danger;
    DomainExpiringSoon = "DOMAIN_EXPIRING_SOON" => Domain, Warning;
    DomainOk = "DOMAIN_OK" => Domain, Ok;
    LicenceExpired = "LICENCE_EXPIRED" => Licence, Danger;
    LicenceRenewalDeadlineMissed = "LICENCE_RENEWAL_DEADLINE_MISSED" => Licence, Danger;
    LicenceRenewalDeadlineNear = "LICENCE_RENEWAL_DEADLINE_NEAR" => Licence, Danger;
    LicenceRenewalDue = "LICENCE_RENEWAL_DUE" => Licence, Warning;
    LicenceValid = "LICENCE_VALID" => Licence, Ok;
    AnnualReportNotDue = "ANNUAL_REPORT_NOT_DUE" => AnnualReport, Ok;
    AnnualReportSchedule = "ANNUAL_REPORT_SCHEDULE" => AnnualReport, Info;
    AnnualReportWindowOpen = "ANNUAL_REPORT_WINDOW_OPEN" => AnnualReport, Warning;
    AnnualReportLateCorrection = "ANNUAL_REPORT_LATE_CORRECTION" => AnnualReport, Danger;
    AnnualReportMissed = "ANNUAL_REPORT_MISSED" => AnnualReport, Danger;
    GaFiled = "GA_FILED" => PublicSecurity, Ok;
    GaDeadline = "GA_DEADLINE" => PublicSecurity, Info;
    GaWindowOpen = "GA_WINDOW_OPEN" => PublicSecurity, Warning;
    GaOverdue = "GA_OVERDUE" => PublicSecurity, Danger;
}
