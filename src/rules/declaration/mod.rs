//! Declaration rules (WL100–WL106): what a card declares, and whether the license texts
//! in the tree agree with it.

pub(super) mod wl100_missing_license;
pub(super) mod wl101_invalid_license_expression;
pub(super) mod wl102_unnamed_other_license;
pub(super) mod wl103_license_mismatch;
pub(super) mod wl104_unidentified_license_text;
pub(super) mod wl105_modified_license_text;
pub(super) mod wl106_ambiguous_license_id;

use crate::core::diagnostic::{Diagnostic, Location};
use crate::license::expr::Problem;
use crate::project::{LicenseFile, Model};
use crate::walk::FileKind;

use super::place::card_location;

/// Each model's declaration problems that `pick` turns into a diagnostic, at the card's
/// `license:` line.
fn problems(
    models: &[Model],
    out: &mut Vec<Diagnostic>,
    pick: impl Fn(&Problem, Location) -> Option<Diagnostic>,
) {
    for model in models {
        let Some(declared) = &model.declared else {
            continue;
        };
        let at = card_location(model, declared.line);
        for problem in &declared.resolution.problems {
            if let Some(d) = pick(problem, at.clone()) {
                out.push(d.for_model(&model.path));
            }
        }
    }
}

/// The readable license texts: not READMEs or notices.
fn license_texts(files: &[LicenseFile]) -> impl Iterator<Item = &LicenseFile> {
    files
        .iter()
        .filter(|f| f.readable && f.kind == FileKind::License)
}

/// A line of a license file, else the file.
fn at_line(file: &LicenseFile, line: Option<usize>) -> Location {
    match line {
        Some(l) => Location::at(&file.path, l, 1),
        None => Location::file(&file.path),
    }
}
