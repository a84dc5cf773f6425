//! Reading the licensing and provenance keys from a GGUF header (llama.cpp's format).
//! Only the metadata section is read, never tensor data; every length in the file is
//! checked before use, reading stops at the first non-`general.*` key and after 8 MiB.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// Keys and kept string values longer than this are refused.
const MAX_STRING: u64 = 64 * 1024;
/// More key/value pairs than this is not a real header.
const MAX_KV_COUNT: u64 = 1_000_000;
/// More array elements than this is not a real header.
const MAX_ARRAY: u64 = 100_000_000;
/// Arrays of arrays are skipped; one more level is refused.
const MAX_DEPTH: u32 = 2;
/// Bytes of header consumed (read or skipped) before giving up quietly.
const BUDGET: u64 = 8 * 1024 * 1024;
/// Keys read while looking for the first `general.*` key.
const LEADING_KEYS: u64 = 64;
/// Base model indices above this are ignored.
const MAX_BASE_MODELS: usize = 64;

/// What a GGUF header says about licensing and provenance.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GgufMeta {
    /// `general.name`
    pub name: Option<String>,
    /// `general.basename`
    pub basename: Option<String>,
    /// `general.license`
    pub license: Option<String>,
    /// `general.license.name`
    pub license_name: Option<String>,
    /// `general.license.link`
    pub license_link: Option<String>,
    /// `general.base_model.count` entries of `general.base_model.{i}.*`.
    pub base_models: Vec<BaseModel>,
}

/// One `general.base_model.{i}` entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BaseModel {
    /// `.name`, often a display name such as "Llama 3.1 8B".
    pub name: Option<String>,
    /// `.organization`, often a display name such as "Meta Llama".
    pub organization: Option<String>,
    /// `.repo_url`, usually `https://huggingface.co/org/name`.
    pub repo_url: Option<String>,
}

impl BaseModel {
    /// `org/name` from `repo_url` (`https://huggingface.co/org/name`) or from
    /// `organization` and `name`, when known (display names with spaces are not ids).
    pub fn hub_id(&self) -> Option<String> {
        const HUB: [&str; 3] = [
            "https://huggingface.co/",
            "https://hf.co/",
            "http://huggingface.co/",
        ];
        let from_url = self.repo_url.as_deref().and_then(|url| {
            let rest = HUB.iter().find_map(|p| url.strip_prefix(p))?;
            let rest = rest.split(['?', '#']).next()?;
            let mut parts = rest.split('/');
            let (org, name) = (parts.next()?, parts.next()?);
            if matches!(org, "datasets" | "spaces") {
                return None;
            }
            hub_pair(org, name)
        });
        from_url.or_else(|| hub_pair(self.organization.as_deref()?, self.name.as_deref()?))
    }
}

/// `org/name` when both look like Hub id parts (not display names with spaces).
fn hub_pair(org: &str, name: &str) -> Option<String> {
    let ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    };
    (ok(org) && ok(name)).then(|| format!("{org}/{name}"))
}

/// Why a GGUF header could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GgufError {
    /// The file does not start with `GGUF`.
    #[error("the file is not GGUF (it does not start with the GGUF magic bytes)")]
    NotGguf,
    /// A version other than 2 or 3.
    #[error("GGUF version {0} is not supported (only versions 2 and 3 are)")]
    UnsupportedVersion(u32),
    /// The file ends inside the header.
    #[error("the GGUF header is truncated")]
    Truncated,
    /// A count, length, nesting or value type beyond what this reader accepts.
    #[error("the GGUF header is over a safety limit: {0}")]
    Limit(String),
    /// Permission denied, vanished, a directory, …
    #[error("the file could not be read: {0}")]
    Io(String),
}

impl From<io::Error> for GgufError {
    fn from(e: io::Error) -> Self {
        match e.kind() {
            io::ErrorKind::UnexpectedEof => GgufError::Truncated,
            _ => GgufError::Io(e.to_string()),
        }
    }
}

/// Read the header of the GGUF file at `path`.
pub fn read(path: &Path) -> Result<GgufMeta, GgufError> {
    parse(BufReader::new(File::open(path)?))
}

/// Read a GGUF header from the current position of `r`.
pub fn parse<R: Read + Seek>(mut r: R) -> Result<GgufMeta, GgufError> {
    let start = r.stream_position()?;
    let end = r.seek(SeekFrom::End(0))?;
    r.seek(SeekFrom::Start(start))?;
    let mut reader = Reader {
        r,
        pos: 0,
        len: end.saturating_sub(start),
    };
    let mut meta = GgufMeta::default();
    match reader.header(&mut meta) {
        Ok(()) | Err(Halt::Budget) => Ok(meta),
        Err(Halt::Fail(e)) => Err(e),
    }
}

/// Why reading stopped: the budget ran out (keep what was found) or a real error.
enum Halt {
    Budget,
    Fail(GgufError),
}

impl<E: Into<GgufError>> From<E> for Halt {
    fn from(e: E) -> Self {
        Halt::Fail(e.into())
    }
}

fn limit(what: String) -> Halt {
    Halt::Fail(GgufError::Limit(what))
}

/// Size of a fixed-size value type; `None` for strings, arrays and unknown types.
fn fixed_size(ty: u32) -> Option<u64> {
    match ty {
        0 | 1 | 7 => Some(1),
        2 | 3 => Some(2),
        4..=6 => Some(4),
        10..=12 => Some(8),
        _ => None,
    }
}

struct Reader<R> {
    r: R,
    /// Bytes consumed since the start of the header.
    pos: u64,
    /// Bytes available from the start of the header.
    len: u64,
}

impl<R: Read + Seek> Reader<R> {
    /// Account for `n` bytes about to be consumed: budget first, then truncation.
    fn take(&mut self, n: u64) -> Result<(), Halt> {
        let to = self.pos.saturating_add(n);
        if to > BUDGET {
            return Err(Halt::Budget);
        }
        if to > self.len {
            return Err(GgufError::Truncated.into());
        }
        self.pos = to;
        Ok(())
    }

    fn fixed<const N: usize>(&mut self) -> Result<[u8; N], Halt> {
        self.take(N as u64)?;
        let mut buf = [0; N];
        self.r.read_exact(&mut buf)?;
        Ok(buf)
    }

    fn u32(&mut self) -> Result<u32, Halt> {
        Ok(u32::from_le_bytes(self.fixed()?))
    }

    fn u64(&mut self) -> Result<u64, Halt> {
        Ok(u64::from_le_bytes(self.fixed()?))
    }

    fn skip(&mut self, n: u64) -> Result<(), Halt> {
        self.take(n)?;
        // `take` bounds n by the budget, so it fits an i64.
        self.r.seek(SeekFrom::Current(n as i64))?;
        Ok(())
    }

    /// A gguf string of at most `MAX_STRING` bytes, lossily decoded.
    fn string(&mut self, what: &str) -> Result<String, Halt> {
        let n = self.u64()?;
        if n > MAX_STRING {
            return Err(limit(format!("a {what} of {n} bytes")));
        }
        self.take(n)?;
        let mut buf = vec![0; n as usize];
        self.r.read_exact(&mut buf)?;
        Ok(String::from_utf8_lossy(&buf).into_owned())
    }

    /// A non-negative integer value of any integer type; other types are skipped.
    fn count(&mut self, ty: u32) -> Result<Option<u64>, Halt> {
        Ok(match ty {
            0 => Some(u64::from(self.fixed::<1>()?[0])),
            1 => u64::try_from(i8::from_le_bytes(self.fixed()?)).ok(),
            2 => Some(u64::from(u16::from_le_bytes(self.fixed()?))),
            3 => u64::try_from(i16::from_le_bytes(self.fixed()?)).ok(),
            4 => Some(u64::from(self.u32()?)),
            5 => u64::try_from(i32::from_le_bytes(self.fixed()?)).ok(),
            10 => Some(self.u64()?),
            11 => u64::try_from(i64::from_le_bytes(self.fixed()?)).ok(),
            _ => {
                self.skip_value(ty, 0)?;
                None
            }
        })
    }

    /// Skip a value of type `ty` without allocating; `depth` counts enclosing arrays.
    fn skip_value(&mut self, ty: u32, depth: u32) -> Result<(), Halt> {
        if let Some(size) = fixed_size(ty) {
            return self.skip(size);
        }
        match ty {
            8 => {
                let n = self.u64()?;
                self.skip(n)
            }
            9 if depth >= MAX_DEPTH => Err(limit(format!("arrays nested {} deep", depth + 1))),
            9 => {
                let (elem, count) = (self.u32()?, self.u64()?);
                if count > MAX_ARRAY {
                    return Err(limit(format!("an array of {count} elements")));
                }
                if let Some(size) = fixed_size(elem) {
                    let total = count
                        .checked_mul(size)
                        .ok_or_else(|| limit(format!("an array of {count} elements")))?;
                    return self.skip(total);
                }
                if !matches!(elem, 8 | 9) {
                    return Err(limit(format!("unknown value type {elem}")));
                }
                // Each element takes at least 8 bytes, so the budget ends this loop.
                for _ in 0..count {
                    self.skip_value(elem, depth + 1)?;
                }
                Ok(())
            }
            _ => Err(limit(format!("unknown value type {ty}"))),
        }
    }

    fn header(&mut self, meta: &mut GgufMeta) -> Result<(), Halt> {
        if &self.fixed::<4>()? != b"GGUF" {
            return Err(GgufError::NotGguf.into());
        }
        let version = self.u32()?;
        if !matches!(version, 2 | 3) {
            return Err(GgufError::UnsupportedVersion(version).into());
        }
        let _tensor_count = self.u64()?;
        let kv_count = self.u64()?;
        if kv_count > MAX_KV_COUNT {
            return Err(limit(format!("{kv_count} metadata keys")));
        }
        let mut seen_general = false;
        for i in 0..kv_count {
            let key = self.string("key")?;
            if !key.starts_with("general.") {
                // llama.cpp writes general.* first: once they are over, so is our part.
                if seen_general || i + 1 >= LEADING_KEYS {
                    return Ok(());
                }
                let ty = self.u32()?;
                self.skip_value(ty, 0)?;
                continue;
            }
            seen_general = true;
            let ty = self.u32()?;
            if key == "general.base_model.count" {
                if let Some(n) = self.count(ty)? {
                    let n = usize::try_from(n)
                        .unwrap_or(usize::MAX)
                        .min(MAX_BASE_MODELS);
                    if meta.base_models.len() < n {
                        meta.base_models.resize(n, BaseModel::default());
                    }
                }
                continue;
            }
            let slot = if ty == 8 {
                string_slot(meta, &key)
            } else {
                None
            };
            match slot {
                Some(slot) => *slot = Some(self.string("value")?),
                None => self.skip_value(ty, 0)?,
            }
        }
        Ok(())
    }
}

/// Where the string value of `key` goes, if it is one we keep.
fn string_slot<'m>(meta: &'m mut GgufMeta, key: &str) -> Option<&'m mut Option<String>> {
    match key {
        "general.name" => return Some(&mut meta.name),
        "general.basename" => return Some(&mut meta.basename),
        "general.license" => return Some(&mut meta.license),
        "general.license.name" => return Some(&mut meta.license_name),
        "general.license.link" => return Some(&mut meta.license_link),
        _ => {}
    }
    let (index, field) = key.strip_prefix("general.base_model.")?.split_once('.')?;
    if !matches!(field, "name" | "organization" | "repo_url") {
        return None;
    }
    let index: usize = index.parse().ok().filter(|&i| i < MAX_BASE_MODELS)?;
    if meta.base_models.len() <= index {
        meta.base_models.resize(index + 1, BaseModel::default());
    }
    let base = meta.base_models.get_mut(index)?;
    Some(match field {
        "name" => &mut base.name,
        "organization" => &mut base.organization,
        _ => &mut base.repo_url,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// Builds a GGUF header in memory.
    struct W(Vec<u8>);

    impl W {
        fn new(version: u32, kv_count: u64) -> W {
            let mut w = W(b"GGUF".to_vec());
            w.u32(version).u64(0).u64(kv_count);
            w
        }
        fn u32(&mut self, v: u32) -> &mut W {
            self.0.extend(v.to_le_bytes());
            self
        }
        fn u64(&mut self, v: u64) -> &mut W {
            self.0.extend(v.to_le_bytes());
            self
        }
        fn str(&mut self, s: &str) -> &mut W {
            self.u64(s.len() as u64);
            self.0.extend(s.as_bytes());
            self
        }
        fn kv_str(&mut self, key: &str, value: &str) -> &mut W {
            self.str(key).u32(8).str(value)
        }
        fn parse(&self) -> Result<GgufMeta, GgufError> {
            parse(Cursor::new(&self.0))
        }
    }

    fn llama(version: u32) -> W {
        let mut w = W::new(version, 9);
        w.kv_str("general.architecture", "llama")
            .kv_str("general.name", "Llama 3.1 8B Instruct")
            .kv_str("general.license", "llama3.1")
            .str("general.base_model.count")
            .u32(4)
            .u32(1)
            .kv_str("general.base_model.0.name", "Llama 3.1 8B")
            .kv_str("general.base_model.0.organization", "Meta Llama")
            .kv_str(
                "general.base_model.0.repo_url",
                "https://huggingface.co/meta-llama/Llama-3.1-8B",
            )
            .str("llama.context_length")
            .u32(4)
            .u32(131072);
        w.str("tokenizer.ggml.tokens").u32(9).u32(8).u64(2);
        w.str("<s>").str("</s>");
        w
    }

    #[test]
    fn reads_general_keys_of_a_v3_header() {
        let meta = llama(3).parse().unwrap();
        assert_eq!(meta.name.as_deref(), Some("Llama 3.1 8B Instruct"));
        assert_eq!(meta.license.as_deref(), Some("llama3.1"));
        assert_eq!(meta.basename, None);
        let base = BaseModel {
            name: Some("Llama 3.1 8B".into()),
            organization: Some("Meta Llama".into()),
            repo_url: Some("https://huggingface.co/meta-llama/Llama-3.1-8B".into()),
        };
        assert_eq!(meta.base_models, vec![base.clone()]);
        assert_eq!(base.hub_id().as_deref(), Some("meta-llama/Llama-3.1-8B"));
    }

    #[test]
    fn versions_and_magic() {
        assert_eq!(llama(2).parse(), llama(3).parse());
        assert_eq!(llama(1).parse(), Err(GgufError::UnsupportedVersion(1)));
        let mut w = llama(3);
        w.0[..4].copy_from_slice(b"GGML");
        assert_eq!(w.parse(), Err(GgufError::NotGguf));
    }

    #[test]
    fn truncated_inside_a_key() {
        let mut w = W::new(3, 2);
        w.kv_str("general.name", "x").u64(20);
        w.0.extend(b"general.");
        assert_eq!(w.parse(), Err(GgufError::Truncated));
        assert_eq!(parse(Cursor::new(b"GGU")), Err(GgufError::Truncated));
    }

    fn limit(w: &W) -> String {
        match w.parse() {
            Err(GgufError::Limit(what)) => what,
            other => panic!("expected a limit, got {other:?}"),
        }
    }

    #[test]
    fn absurd_counts_lengths_and_types_are_refused_at_once() {
        assert!(limit(&W::new(3, u64::MAX)).contains("metadata keys"));
        let mut w = W::new(3, 1);
        w.u64(u64::MAX);
        assert!(limit(&w).contains("key of"));
        let mut w = W::new(3, 1);
        w.str("general.tokens").u32(9).u32(0).u64(u64::MAX);
        assert!(limit(&w).contains("array of"));
        let mut w = W::new(3, 1);
        w.str("general.name").u32(8).u64(MAX_STRING + 1);
        assert!(limit(&w).contains("value of"));
        let mut w = W::new(3, 1);
        w.str("general.x").u32(13);
        assert!(limit(&w).contains("unknown value type"));
        let mut w = W::new(3, 1);
        w.str("x").u32(9).u32(9).u64(1).u32(9).u64(1).u32(9).u64(0);
        assert!(limit(&w).contains("nested"));
    }

    #[test]
    fn leading_keys_are_skipped_until_the_general_ones() {
        let mut w = W::new(3, 4);
        w.str("tokenizer.ggml.tokens").u32(9).u32(8).u64(2);
        w.str("a").str("b");
        w.str("tokenizer.ggml.scores").u32(9).u32(6).u64(3);
        w.0.extend([0; 12]);
        w.str("tokenizer.pairs").u32(9).u32(9).u64(1);
        w.u32(4).u64(2).u64(0);
        w.kv_str("general.license.link", "https://example.com/L");
        let link = w.parse().unwrap().license_link;
        assert_eq!(link.as_deref(), Some("https://example.com/L"));
    }

    #[test]
    fn a_huge_array_after_the_general_keys_is_never_read() {
        let mut w = W::new(3, 3);
        w.kv_str("general.license", "apache-2.0");
        // The buffer ends right after the array's header: reading any of it would fail.
        w.str("tokenizer.ggml.tokens").u32(9).u32(8).u64(99_000_000);
        let meta = w.parse().unwrap();
        assert_eq!(meta.license.as_deref(), Some("apache-2.0"));
    }

    #[test]
    fn the_budget_stops_quietly() {
        let mut w = W::new(3, 2);
        w.kv_str("general.license", "mit");
        w.str("general.blob").u32(9).u32(0).u64(BUDGET);
        assert_eq!(w.parse().unwrap().license.as_deref(), Some("mit"));
    }

    #[test]
    fn hub_ids() {
        let url = |u: &str| BaseModel {
            repo_url: Some(u.into()),
            ..BaseModel::default()
        };
        let tree = url("https://huggingface.co/org/m/tree/main");
        assert_eq!(tree.hub_id().as_deref(), Some("org/m"));
        assert_eq!(url("https://huggingface.co/datasets/org/d").hub_id(), None);
        assert_eq!(url("https://github.com/org/m").hub_id(), None);
        let named = BaseModel {
            name: Some("Mistral-7B-v0.1".into()),
            organization: Some("mistralai".into()),
            repo_url: None,
        };
        assert_eq!(named.hub_id().as_deref(), Some("mistralai/Mistral-7B-v0.1"));
    }
}
