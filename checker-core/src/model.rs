//! The contract's axes, states and severities, with their fixed order and codes.

use serde::{Deserialize, Serialize};

/// One axis of the classification; results come out in the order of [`AXES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Axis {
    /// The filing itself (`"filing"`): server, access and notices.
    #[serde(rename = "filing")]
    Filing,
    /// Whether a new filing could be made now (`"refile"`).
    #[serde(rename = "refile")]
    Refile,
    /// The domain's registration (`"domain"`).
    #[serde(rename = "domain")]
    Domain,
    /// The commercial licence, ICP证 (`"licence"`).
    #[serde(rename = "licence")]
    Licence,
    /// The licence's annual report (`"annualReport"`).
    #[serde(rename = "annualReport")]
    AnnualReport,
    /// The public-security (公安) filing (`"publicSecurity"`).
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
    /// Nothing urgent on this axis.
    Ok,
    /// Something to note or find out; no deadline is near.
    Info,
    /// A deadline is near, or something needs doing soon.
    Warning,
    /// A deadline has passed or is unknown, or the filing or access is gone.
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
            $(
                #[doc = concat!("`", $code, "` (axis `", stringify!($axis), "`, severity `", stringify!($severity), "`); its texts are in the rules data.")]
                #[serde(rename = $code)]
                $variant,
            )*
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

            /// Whether results in this state can carry a `deadline` (and so `{days}`/`{deadline}`
            /// texts). `RECTIFICATION_OPEN_SERVER_EXPIRED` has one only when a notice deadline
            /// was given; its `deadline_unknown` variant is used otherwise.
            pub fn has_deadline(self) -> bool {
                !matches!(
                    self,
                    State::FilingCancelledRefile
                        | State::AccessCancelledOtherFilings
                        | State::AccessCancelledShell
                        | State::AccessCancelled
                        | State::RectificationDeadlineUnknown
                        | State::FilingActive
                        | State::FilingFound
                        | State::ServerIneligibleForFiling
                        | State::DomainTooShortForFiling
                        | State::RefileNotChecked
                        | State::RefileEligible
                        | State::AnnualReportNotDue
                        | State::AnnualReportNoLicenceInYear
                        | State::AnnualReportMissed
                        | State::GaFiled
                )
            }

            /// The state with this code, if any.
            pub fn from_code(code: &str) -> Option<State> {
                STATES.iter().copied().find(|s| s.code() == code)
            }

            /// Whether a result in this state can have its `deadline` today or its `days` at 0
            /// (given the ordering of the thresholds that [`crate::Rules::validate`] enforces):
            /// such a state needs a `last_day` text variant that says today is the last day.
            pub fn can_fall_on_today(self) -> bool {
                matches!(
                    self,
                    State::RectificationOpen
                        | State::RectificationOpenServerExpired
                        | State::DomainExpiringSoon
                        | State::LicenceRenewalDeadlineMissed
                        | State::LicenceRenewalDeadlineNear
                        | State::AnnualReportSchedule
                        | State::AnnualReportWindowOpen
                        | State::AnnualReportLateCorrection
                        | State::GaDeadline
                        | State::GaWindowOpen
                )
            }

            /// Whether this is one of the `RECTIFICATION_*` states, whose results carry the
            /// notice's `reason` and put its fix after their first action.
            pub fn is_rectification(self) -> bool {
                matches!(
                    self,
                    State::RectificationOverdue
                        | State::RectificationOpenServerExpired
                        | State::RectificationOpen
                        | State::RectificationDeadlineUnknown
                )
            }
        }
    };
}

states! {
    FilingCancelledRefile = "FILING_CANCELLED_REFILE" => Filing, Danger;
    AccessCancelledOtherFilings = "ACCESS_CANCELLED_OTHER_FILINGS" => Filing, Danger;
    AccessCancelledShell = "ACCESS_CANCELLED_SHELL" => Filing, Danger;
    AccessCancelled = "ACCESS_CANCELLED" => Filing, Danger;
    RectificationOverdue = "RECTIFICATION_OVERDUE" => Filing, Danger;
    RectificationOpenServerExpired = "RECTIFICATION_OPEN_SERVER_EXPIRED" => Filing, Danger;
    RectificationOpen = "RECTIFICATION_OPEN" => Filing, Warning;
    RectificationDeadlineUnknown = "RECTIFICATION_DEADLINE_UNKNOWN" => Filing, Danger;
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
    DomainTooShortToFile = "DOMAIN_TOO_SHORT_TO_FILE" => Domain, Warning;
    DomainOk = "DOMAIN_OK" => Domain, Ok;
    LicenceExpired = "LICENCE_EXPIRED" => Licence, Danger;
    LicenceRenewalDeadlineMissed = "LICENCE_RENEWAL_DEADLINE_MISSED" => Licence, Danger;
    LicenceRenewalDeadlineNear = "LICENCE_RENEWAL_DEADLINE_NEAR" => Licence, Danger;
    LicenceRenewalDue = "LICENCE_RENEWAL_DUE" => Licence, Warning;
    LicenceValid = "LICENCE_VALID" => Licence, Ok;
    AnnualReportNotDue = "ANNUAL_REPORT_NOT_DUE" => AnnualReport, Ok;
    AnnualReportNoLicenceInYear = "ANNUAL_REPORT_NO_LICENCE_IN_YEAR" => AnnualReport, Info;
    AnnualReportSchedule = "ANNUAL_REPORT_SCHEDULE" => AnnualReport, Info;
    AnnualReportWindowOpen = "ANNUAL_REPORT_WINDOW_OPEN" => AnnualReport, Warning;
    AnnualReportLateCorrection = "ANNUAL_REPORT_LATE_CORRECTION" => AnnualReport, Danger;
    AnnualReportMissed = "ANNUAL_REPORT_MISSED" => AnnualReport, Danger;
    GaFiled = "GA_FILED" => PublicSecurity, Ok;
    GaDeadline = "GA_DEADLINE" => PublicSecurity, Info;
    GaWindowOpen = "GA_WINDOW_OPEN" => PublicSecurity, Warning;
    GaOverdue = "GA_OVERDUE" => PublicSecurity, Danger;
}
