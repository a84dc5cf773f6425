//! The Hugging Face Hub's public API: the one module of weightlint that opens a socket,
//! called only by `weightlint lock`. It honours what `huggingface_hub` honours:
//! `HF_ENDPOINT` for the API base, `HF_TOKEN` (or the token file `huggingface_hub login`
//! writes) for gated and private repositories. The token is sent, never printed.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;

use super::Kind;

/// What the Hub states of one repository.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Info {
    /// The revision the metadata is of (the commit sha of `main`).
    pub sha: Option<String>,
    /// `auto` or `manual` when access is gated.
    pub gated: Option<String>,
    pub license: Vec<String>,
    pub license_name: Option<String>,
    pub license_link: Option<String>,
    pub base_models: Vec<String>,
}

/// Why a repository's metadata could not be had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// 404: no such repository.
    NotFound,
    /// 401 or 403: gated or private (or, to an anonymous caller, nonexistent).
    Unauthorized { token_sent: bool },
    /// No answer within the timeout.
    Timeout,
    /// Another status, after the retries.
    Status(u16),
    /// The connection failed (DNS, refused, TLS), after the retries.
    Transport(String),
    /// A 200 whose body is not the API's JSON.
    Malformed(String),
}

impl Failure {
    /// Whether the Hub gave a lasting answer (the repository is not there, or not for
    /// this caller) rather than a failure worth trying again later.
    pub fn is_answer(&self) -> bool {
        matches!(self, Failure::NotFound | Failure::Unauthorized { .. })
    }

    pub fn describe(&self) -> String {
        match self {
            Failure::NotFound => "the Hub has no such repository (404)".to_string(),
            Failure::Unauthorized { token_sent: false } => "the Hub wants a token (401): the repository is gated or private, or does not exist; set HF_TOKEN or run `huggingface-cli login`".to_string(),
            Failure::Unauthorized { token_sent: true } => "the Hub refused the token (401/403): request access to the gated repository on its Hub page, or check the token's scope".to_string(),
            Failure::Timeout => "no answer from the Hub within the timeout (--timeout)".to_string(),
            Failure::Status(code) => format!("the Hub answered HTTP {code}"),
            Failure::Transport(e) => format!("could not reach the Hub: {e}"),
            Failure::Malformed(e) => format!("the Hub's answer is not the API's JSON: {e}"),
        }
    }
}

/// How to reach the Hub.
#[derive(Clone, Debug)]
pub struct Settings {
    pub timeout: Duration,
    /// Further attempts after a timeout, a connection failure, 429 or 5xx.
    pub retries: u32,
    /// The first backoff; it doubles with each attempt.
    pub backoff: Duration,
}

pub struct Client {
    agent: ureq::Agent,
    endpoint: String,
    token: Option<String>,
    settings: Settings,
}

/// The API base: `HF_ENDPOINT`, else the public Hub.
pub fn endpoint() -> String {
    std::env::var("HF_ENDPOINT")
        .ok()
        .map(|e| e.trim().trim_end_matches('/').to_string())
        .filter(|e| !e.is_empty())
        .unwrap_or_else(|| "https://huggingface.co".to_string())
}

/// The token `huggingface_hub` would use: `HF_TOKEN`, else the file at `HF_TOKEN_PATH`,
/// `HF_HOME/token` or `~/.cache/huggingface/token`.
fn token() -> Option<String> {
    let from_env = std::env::var("HF_TOKEN")
        .ok()
        .or_else(|| std::env::var("HUGGING_FACE_HUB_TOKEN").ok());
    let file = || -> Option<PathBuf> {
        if let Some(p) = std::env::var_os("HF_TOKEN_PATH") {
            return Some(PathBuf::from(p));
        }
        if let Some(h) = std::env::var_os("HF_HOME") {
            return Some(PathBuf::from(h).join("token"));
        }
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/huggingface/token"))
    };
    from_env
        .or_else(|| std::fs::read_to_string(file()?).ok())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

impl Client {
    pub fn from_env(settings: Settings) -> Client {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(settings.timeout))
            .user_agent(concat!("weightlint/", env!("CARGO_PKG_VERSION")))
            .build();
        Client {
            agent: config.into(),
            endpoint: endpoint(),
            token: token(),
            settings,
        }
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The metadata of one repository, retrying what may pass.
    pub fn info(&self, kind: Kind, id: &str) -> Result<Info, Failure> {
        let url = format!("{}/api/{}/{id}", self.endpoint, kind.api_path());
        let mut wait = self.settings.backoff;
        let mut attempt = 0;
        loop {
            let (result, retry_after) = self.once(&url);
            let transient = matches!(
                result,
                Err(Failure::Timeout | Failure::Transport(_) | Failure::Status(429 | 500..=599))
            );
            if !transient || attempt >= self.settings.retries {
                return result;
            }
            attempt += 1;
            std::thread::sleep(retry_after.unwrap_or(wait).min(Duration::from_secs(30)));
            wait = wait.saturating_mul(2);
        }
    }

    /// One request: the result, and the wait a 429 asks for.
    fn once(&self, url: &str) -> (Result<Info, Failure>, Option<Duration>) {
        let mut request = self.agent.get(url).header("Accept", "application/json");
        if let Some(t) = &self.token {
            request = request.header("Authorization", format!("Bearer {t}"));
        }
        let mut response = match request.call() {
            Ok(r) => r,
            Err(ureq::Error::Timeout(_)) => return (Err(Failure::Timeout), None),
            Err(e) => return (Err(Failure::Transport(e.to_string())), None),
        };
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let result = match status {
            200 => match response.body_mut().read_to_string() {
                Ok(body) => parse(&body),
                Err(ureq::Error::Timeout(_)) => Err(Failure::Timeout),
                Err(e) => Err(Failure::Transport(e.to_string())),
            },
            404 => Err(Failure::NotFound),
            401 | 403 => Err(Failure::Unauthorized {
                token_sent: self.token.is_some(),
            }),
            other => Err(Failure::Status(other)),
        };
        (result, retry_after)
    }
}

/// The API's answer (`GET /api/models/{id}`, `/api/datasets/{id}`): `sha`, `gated`, and the
/// card's metadata in `cardData`; the `license:` tag when the card states none.
pub fn parse(body: &str) -> Result<Info, Failure> {
    let v: Value = serde_json::from_str(body).map_err(|e| Failure::Malformed(e.to_string()))?;
    let Some(top) = v.as_object() else {
        return Err(Failure::Malformed("not a JSON object".to_string()));
    };
    let card = top.get("cardData").and_then(Value::as_object);
    let field = |name: &str| card.and_then(|c| c.get(name));
    let text = |name: &str| {
        field(name)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let mut license = strings(field("license"));
    if license.is_empty() {
        license = strings(top.get("tags"))
            .into_iter()
            .filter_map(|t| t.strip_prefix("license:").map(str::to_string))
            .collect();
    }
    Ok(Info {
        sha: top.get("sha").and_then(Value::as_str).map(str::to_string),
        gated: match top.get("gated") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Bool(true)) => Some("true".to_string()),
            _ => None,
        },
        license,
        license_name: text("license_name"),
        license_link: text("license_link"),
        base_models: strings(field("base_model")),
    })
}

/// A string or a list of strings.
fn strings(v: Option<&Value>) -> Vec<String> {
    let all: Vec<&str> = match v {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    all.into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_card_data_and_falls_back_to_the_license_tag() {
        let info = parse(
            r#"{"id":"a/b","sha":"abc","gated":"manual","tags":["license:mit"],
                "cardData":{"license":"other","license_name":"x-license","license_link":"LICENSE",
                "base_model":["c/d","e/f"]}}"#,
        );
        let info = info.unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(info.sha.as_deref(), Some("abc"));
        assert_eq!(info.gated.as_deref(), Some("manual"));
        assert_eq!(info.license, ["other"]);
        assert_eq!(info.license_name.as_deref(), Some("x-license"));
        assert_eq!(info.base_models, ["c/d", "e/f"]);
        let tagged = parse(r#"{"sha":"1","gated":false,"tags":["license:apache-2.0"]}"#)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(tagged.license, ["apache-2.0"]);
        assert_eq!(tagged.gated, None);
        assert!(matches!(parse("[1]"), Err(Failure::Malformed(_))));
        assert!(matches!(parse("<html>"), Err(Failure::Malformed(_))));
    }
}
