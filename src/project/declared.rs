//! What a model declares and which license texts are in its scope: `license:`, `other`
//! with `license_name`/`license_link`, and the effective licenses.

use crate::inventory::card::Card;
use crate::license::expr::{self, Named};
use crate::license::identify::{Fit, Method};
use crate::walk::FileKind;

use super::read::parent_rel;
use super::{Declared, LicenseFile, Model};

/// The license files of the nearest directory at or above the model that has any.
pub(super) fn scope_license_files(model: &mut Model, files: &[LicenseFile]) {
    let mut dir = Some(model.rel_dir.as_str());
    while let Some(d) = dir {
        let here: Vec<usize> = files
            .iter()
            .enumerate()
            .filter(|(_, f)| f.root == model.root && f.rel_dir == d)
            .map(|(i, _)| i)
            .collect();
        if !here.is_empty() {
            if d == model.rel_dir {
                model.beside = here.clone();
            }
            model.license_files = here;
            return;
        }
        dir = parent_rel(d);
    }
}

pub(super) fn declared(card: &Card, model: &Model, files: &[LicenseFile]) -> Option<Declared> {
    let field = card.field("license")?;
    let mut resolution = expr::resolve_value(&field.value);
    let license_name = card
        .field("license_name")
        .and_then(|f| f.value.scalar_text().map(|s| (s, f.line)));
    let license_link = card
        .field("license_link")
        .and_then(|f| f.value.scalar_text().map(|s| (s, f.line)));
    let linked = license_link
        .as_ref()
        .and_then(|(link, _)| linked_file(link, model, files))
        .and_then(|i| files[i].identification.as_ref())
        .filter(|id| id.key.is_some())
        .map(|id| Named {
            id: id.id.clone(),
            name: id.name.clone(),
            key: id.key.clone(),
        });
    resolution.resolve_other(
        license_name.as_ref().map(|(n, _)| n.as_str()),
        linked,
        license_link.is_some(),
    );
    Some(Declared {
        value: field.value.clone(),
        line: field.line,
        resolution,
        license_name,
        license_link,
    })
}

/// A `license_link` that names a file of the model's directory.
pub fn linked_file(link: &str, model: &Model, files: &[LicenseFile]) -> Option<usize> {
    if link.contains("://") {
        return None;
    }
    let link = link.trim_start_matches("./");
    let target = if model.rel_dir.is_empty() {
        link.to_string()
    } else {
        format!("{}/{link}", model.rel_dir)
    };
    files.iter().position(|f| {
        f.root == model.root && {
            let name = f.path.rsplit_once('/').map_or(f.path.as_str(), |(_, n)| n);
            let rel = if f.rel_dir.is_empty() {
                name.to_string()
            } else {
                format!("{}/{name}", f.rel_dir)
            };
            rel == target
        }
    })
}

pub(super) fn effective_licenses(model: &Model, files: &[LicenseFile]) -> Vec<Named> {
    if let Some(d) = &model.declared {
        if !d.resolution.licenses.is_empty() {
            return d.resolution.licenses.clone();
        }
    }
    let mut out: Vec<Named> = model
        .license_files
        .iter()
        .map(|&i| &files[i])
        .filter(|f| f.kind == FileKind::License && !f.for_code)
        .filter_map(|f| f.identification.as_ref())
        .filter(|id| id.method != Method::Pointer || id.key.is_some())
        .filter(|id| !matches!(id.fit, Fit::Modified { .. }) || id.confidence >= 0.5)
        .map(|id| Named {
            id: id.id.clone(),
            name: id.name.clone(),
            key: id.key.clone(),
        })
        .collect();
    out.sort();
    out.dedup();
    out
}
