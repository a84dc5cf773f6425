//! The values a config holds: distributions, required openness, rule levels, counts
//! (`800M`, `1.5B`), dates and ISO 3166 regions.

use serde::Deserialize;

/// How the product is shipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Distribution {
    Saas,
    OnDevice,
    Internal,
    Research,
    OpenRelease,
}

impl Distribution {
    pub fn as_str(self) -> &'static str {
        match self {
            Distribution::Saas => "saas",
            Distribution::OnDevice => "on-device",
            Distribution::Internal => "internal",
            Distribution::Research => "research",
            Distribution::OpenRelease => "open-release",
        }
    }
}

/// How open a model must be (`policy.require`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Require {
    #[default]
    OpenWeight,
    Osi,
    OpenSourceAi,
}

impl Require {
    pub fn as_str(self) -> &'static str {
        match self {
            Require::OpenWeight => "open-weight",
            Require::Osi => "osi",
            Require::OpenSourceAi => "open-source-ai",
        }
    }
}

/// A severity override in `rules:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Note,
    Off,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
            Level::Off => "off",
        }
    }
}

/// A count written as `800000000`, `800_000_000`, `"800M"`, `"1.5B"` or `"$5M"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "CountRepr")]
pub struct Count(pub u64);

#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum CountRepr {
    Number(u64),
    Text(String),
}

impl TryFrom<CountRepr> for Count {
    type Error = String;
    fn try_from(raw: CountRepr) -> Result<Self, String> {
        match raw {
            CountRepr::Number(n) => Ok(Count(n)),
            CountRepr::Text(s) => parse_count(&s).map(Count),
        }
    }
}

/// Parse `800M`, `1.5B`, `$5,000,000`, `120k`: a whole number, optionally scaled.
pub fn parse_count(text: &str) -> Result<u64, String> {
    let bad = || format!("`{text}` is not a count (write 800000000, 800M or 1.5B)");
    let t: String = text
        .trim()
        .trim_start_matches(['$', '€'])
        .chars()
        .filter(|c| !matches!(c, '_' | ',' | ' '))
        .collect();
    let (digits, scale) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let scale: u64 = match c.to_ascii_lowercase() {
                'k' => 1_000,
                'm' => 1_000_000,
                'b' | 'g' => 1_000_000_000,
                _ => return Err(bad()),
            };
            (&t[..i], scale)
        }
        _ => (t.as_str(), 1),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty()
        || !whole
            .bytes()
            .chain(frac.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let mut value = whole
        .parse::<u64>()
        .ok()
        .and_then(|w| w.checked_mul(scale))
        .ok_or_else(bad)?;
    let mut unit = scale;
    for d in frac.bytes() {
        unit /= 10;
        if unit == 0 {
            return Err(bad());
        }
        value = value
            .checked_add(u64::from(d - b'0') * unit)
            .ok_or_else(bad)?;
    }
    Ok(value)
}

/// `expires:` as a YAML string or a TOML date.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum DateRepr {
    Text(String),
    Toml(toml::value::Datetime),
}

impl DateRepr {
    pub(super) fn text(&self) -> String {
        match self {
            DateRepr::Text(s) => s.clone(),
            DateRepr::Toml(d) => d.to_string(),
        }
    }
}

/// The member states of the European Union (Llama's multimodal clause looks here).
pub const EU_MEMBERS: &[&str] = &[
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
];

/// Jurisdictions under comprehensive US sanctions, as licenses that exclude them mean it.
pub const SANCTIONED: &[&str] = &["CU", "IR", "KP", "SY"];

/// ISO 3166-1 alpha-2 codes, for telling a region from a typo.
pub(super) const ISO_3166: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// A region as written (`us`, `UK`, `EU`) in canonical form, or why it is not one.
pub fn region(text: &str) -> Result<String, String> {
    let upper = text.trim().to_ascii_uppercase();
    match upper.as_str() {
        "EU" => Ok(upper),
        "UK" => Ok("GB".to_string()),
        code if code.len() == 2 && ISO_3166.split(' ').any(|c| c == code) => Ok(upper),
        _ => Err(format!(
            "`{text}` is not a region: write an ISO 3166 country code (US, DE, GB) or EU"
        )),
    }
}

/// Whether a region is the EU or one of its member states.
pub fn in_eu(region: &str) -> bool {
    region == "EU" || EU_MEMBERS.contains(&region)
}
