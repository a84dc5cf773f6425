//! Reading candidate files safely: a size cap checked before reading, binary and
//! encoding checks, and a line index for turning byte offsets into line/column.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Text files larger than this are not read (WL902).
pub const TEXT_CAP: u64 = 1024 * 1024;

/// Why a candidate could not be read as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadProblem {
    /// Over a size cap: the size and the cap, in bytes.
    TooLarge(u64, u64),
    /// NUL bytes in the first block.
    Binary,
    /// Not valid UTF-8; carries the byte offset of the first invalid byte.
    NotUtf8(usize),
    /// Permission denied, vanished, a directory, …
    Io(String),
}

impl ReadProblem {
    pub fn describe(&self) -> String {
        match self {
            ReadProblem::TooLarge(n, cap) => format!(
                "{} is over the {} cap for this kind of file",
                human_size(*n),
                human_size(*cap)
            ),
            ReadProblem::Binary => "the file is binary (it contains NUL bytes)".to_string(),
            ReadProblem::NotUtf8(at) => {
                format!("the file is not valid UTF-8 (first invalid byte at offset {at})")
            }
            ReadProblem::Io(e) => format!("the file could not be read: {e}"),
        }
    }
}

fn human_size(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if n >= 1024 * MIB {
        format!("{:.1} GiB", n as f64 / (1024 * MIB) as f64)
    } else if n >= MIB {
        format!("{:.1} MiB", n as f64 / MIB as f64)
    } else {
        format!("{n} bytes")
    }
}

/// Read a text file of at most `TEXT_CAP` bytes. The size is checked on the open handle
/// before reading, and the read itself is bounded, so a sparse multi-GiB file or a file
/// that grows while we read costs nothing.
pub fn read_text(path: &Path) -> Result<String, ReadProblem> {
    read_text_capped(path, TEXT_CAP)
}

pub fn read_text_capped(path: &Path, cap: u64) -> Result<String, ReadProblem> {
    let file = File::open(path).map_err(|e| ReadProblem::Io(e.to_string()))?;
    let meta = file
        .metadata()
        .map_err(|e| ReadProblem::Io(e.to_string()))?;
    if meta.is_dir() {
        return Err(ReadProblem::Io("is a directory".to_string()));
    }
    if meta.len() > cap {
        return Err(ReadProblem::TooLarge(meta.len(), cap));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadProblem::Io(e.to_string()))?;
    if bytes.len() as u64 > cap {
        return Err(ReadProblem::TooLarge(bytes.len() as u64, cap));
    }
    decode(bytes)
}

/// Bytes to text: binary and non-UTF-8 content are problems, a UTF-8 BOM is dropped.
pub fn decode(bytes: Vec<u8>) -> Result<String, ReadProblem> {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(ReadProblem::Binary);
    }
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => Err(ReadProblem::NotUtf8(e.utf8_error().valid_up_to())),
    }
}

/// Byte offsets of line starts, for offset → (line, column) in O(log n).
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let end = offset.min(text.len());
        let column = text.get(start..end).map(|s| s.chars().count()).unwrap_or(0) + 1;
        (line, column)
    }

    /// Byte offset where a 1-based line starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line.checked_sub(1)?).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_positions() {
        let text = "ab\ncd\n\nef";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), (1, 1));
        assert_eq!(idx.position(text, 4), (2, 2));
        assert_eq!(idx.position(text, 7), (4, 1));
        assert_eq!(idx.line_start(3), Some(6));
    }

    #[test]
    fn decode_rejects_binary_and_latin1_and_drops_bom() {
        assert_eq!(decode(b"PK\x03\x04\0\0".to_vec()), Err(ReadProblem::Binary));
        assert_eq!(decode(b"caf\xe9".to_vec()), Err(ReadProblem::NotUtf8(3)));
        assert_eq!(
            decode("\u{feff}---\n".as_bytes().to_vec()),
            Ok("---\n".to_string())
        );
    }
}
