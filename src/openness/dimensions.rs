//! One function per dimension of openness but licensing (in `licensing`): each looks for
//! its evidence in the subject's scope and says whether any was found.

use crate::core::text::clip;
use crate::inventory::code::{self, Kind, Loader};
use crate::license::expr::Named;
use crate::license::kb::EntryKind;

use super::scope::{hub_model_link, Scope};
use super::{Dimension, Evidence, Status};

/// A dimension whose status is whether any evidence was found.
fn evidenced(name: &'static str, evidence: Vec<Evidence>) -> Dimension {
    Dimension {
        name,
        status: if evidence.is_empty() {
            Status::No
        } else {
            Status::Yes
        },
        evidence,
    }
}

/// Weights: weight files, a card published with them, a Hub link, or a license written
/// for weights.
pub(super) fn weights(s: &Scope) -> Dimension {
    let mut weights = Vec::new();
    if let Some(m) = s.subject.model {
        if let Some(w) = m.weights.first() {
            weights.push(Evidence {
                what: format!("{} weight file(s)", m.weights.len()),
                place: w.clone(),
            });
        }
        if let Some(c) = s.card {
            weights.push(Evidence {
                what: "model card (weights published with it)".to_string(),
                place: c.path.clone(),
            });
        }
        if let Some(r) = &m.released_as {
            weights.push(Evidence {
                what: if code::is_hub_id(&r.id) {
                    format!("released on the Hugging Face Hub as {}", r.id)
                } else {
                    format!("released for download: {}", r.id)
                },
                place: format!("{}:{}", r.readme, r.line),
            });
        }
    }
    if let Some(d) = &s.doc {
        if let Some((n, _)) = d.line_where(hub_model_link) {
            weights.push(Evidence {
                what: "weights linked on the Hugging Face Hub".to_string(),
                place: d.at(n),
            });
        }
    }

    // A license written for model weights (Llama, Gemma, Qwen, DeepSeek…) says weights
    // are released under it, even where no file or link shows them.
    if weights.is_empty() {
        if let Some(e) = s
            .subject
            .licenses
            .iter()
            .filter_map(Named::entry)
            .find(|e| e.spdx.is_none() && e.kind == EntryKind::License && e.binds_derivatives())
        {
            weights.push(Evidence {
                what: format!("released under the {}, a license for model weights", e.name),
                place: e.id.clone(),
            });
        }
    }
    evidenced("weights", weights)
}

/// Training data: the card's `datasets`, a data section, Hub dataset links, a named
/// corpus, dataset cards in the subject's directory.
pub(super) fn training_data(s: &Scope) -> Dimension {
    let subject = s.subject;
    let mut data = Vec::new();
    if let Some(m) = subject.model {
        if !m.datasets.is_empty() {
            let names: Vec<&str> = m.datasets.iter().map(|d| d.id.as_str()).collect();
            data.push(Evidence {
                what: format!("card `datasets`: {}", names.join(", ")),
                place: format!(
                    "{}:{}",
                    s.card.map_or("", |c| c.path.as_str()),
                    m.datasets[0].line
                ),
            });
        }
    }
    if let Some(d) = &s.doc {
        if let Some((n, h)) = d.heading(&[
            "training data",
            "pretraining data",
            "pre-training data",
            "training dataset",
            "data mix",
            "datasheet",
            "data card",
        ]) {
            data.push(Evidence {
                what: format!("section \"{h}\""),
                place: d.at(n),
            });
        }
        // The repository's own dataset, in a section of its own ("## Segment Anything Video
        // Dataset", "## Data Release"), not a how-to ("## Prepare dataset") or a benchmark.
        else if let Some((n, h)) = d.line_where(|l| {
            let lower = l.trim_end().to_ascii_lowercase();
            let Some(title) = lower
                .strip_prefix("## ")
                .or_else(|| lower.strip_prefix("# "))
            else {
                return false;
            };
            let title = title.trim();
            (title.ends_with("dataset") || title.ends_with("datasets") || title == "data release")
                && ![
                    "custom",
                    "prepare",
                    "your",
                    "verify",
                    "setup",
                    "own",
                    "eval",
                    "benchmark",
                    "test",
                ]
                .iter()
                .any(|w| title.contains(w))
        }) {
            data.push(Evidence {
                what: format!("section \"{}\"", h.trim_start_matches('#').trim()),
                place: d.at(n),
            });
        }
        if let Some((n, _)) = d.line_where(training_dataset_link) {
            data.push(Evidence {
                what: "training dataset linked on the Hub".to_string(),
                place: d.at(n),
            });
        }
        if let Some((n, l)) = d.line_with(&[
            &["trained on", "pile"],
            &["trained on", "dolma"],
            &["the pile"],
            &["laion-"],
            &["redpajama"],
            &["refinedweb"],
            &["fineweb"],
        ]) {
            data.push(Evidence {
                what: format!("names its corpus: \"{}\"", clip(l.trim(), 80)),
                place: d.at(n),
            });
        }
    }
    for dc in s
        .project
        .dataset_cards
        .iter()
        .filter(|d| {
            d.root == subject.root
                && (subject.rel_dir.is_empty()
                    || d.rel_dir == subject.rel_dir
                    || d.rel_dir.starts_with(&format!("{}/", subject.rel_dir)))
        })
        .take(2)
    {
        data.push(Evidence {
            what: "dataset card".to_string(),
            place: dc.path.clone(),
        });
    }
    evidenced("training data", data)
}

/// A line that links a Hub dataset as what was trained on: the line speaks of training,
/// and the link is to the dataset, not to an image or video kept in a dataset repository
/// (`datasets/openbmb/DemoCase/resolve/main/refract.png`, badges).
fn training_dataset_link(line: &str) -> bool {
    const TRAINING: &[&str] = &[
        "train",
        "fine-tun",
        "finetun",
        "pretrain",
        "pre-train",
        "sft",
        "训练",
        "微调",
    ];
    let lower = line.to_ascii_lowercase();
    // `hub_urls` leaves out media files and the site's own pages.
    let to_a_dataset = code::hub_urls(line, 0, Loader::HubUrl)
        .iter()
        .any(|h| h.kind == Kind::Dataset);
    to_a_dataset && TRAINING.iter().any(|w| lower.contains(w))
}

/// Training code: training scripts in the tree, or training code the doc points to.
pub(super) fn training_code(s: &Scope) -> Dimension {
    let mut training = s.files_under(|n| {
        n.ends_with(".py")
            && (n.starts_with("train") || n.contains("pretrain") || n.starts_with("finetune"))
    });
    if let Some(d) = &s.doc {
        if let Some((n, l)) = d.line_with(&[
            &["train", "github.com"],
            &["training code"],
            &["train.py"],
            &["torchrun", "train"],
            &["gpt-neox"],
        ]) {
            training.push(Evidence {
                what: format!("training code referenced: \"{}\"", clip(l.trim(), 80)),
                place: d.at(n),
            });
        }
    }
    evidenced("training code", training)
}

/// Data-processing code: preprocessing, tokenising or deduplication scripts, or the doc
/// pointing to them.
pub(super) fn processing_code(s: &Scope) -> Dimension {
    let mut processing = s.files_under(|n| {
        n.ends_with(".py")
            && ["preprocess", "tokeniz", "dedup", "filter", "prepare_data"]
                .iter()
                .any(|w| n.contains(w))
    });
    if let Some(d) = &s.doc {
        if let Some((n, l)) = d.line_with(&[
            &["tokenize", "data"],
            &["preprocess"],
            &["data processing"],
            &["dolma", "toolkit"],
        ]) {
            processing.push(Evidence {
                what: format!("data processing referenced: \"{}\"", clip(l.trim(), 80)),
                place: d.at(n),
            });
        }
    }
    evidenced("data processing code", processing)
}

/// Evaluation: the card's `model-index`, an evaluation section, evaluation scripts.
pub(super) fn evaluation(s: &Scope) -> Dimension {
    let mut evaluation = Vec::new();
    if let Some(f) = s.card.and_then(|c| c.field("model-index")) {
        evaluation.push(Evidence {
            what: "card `model-index` results".to_string(),
            place: format!("{}:{}", s.card.map_or("", |c| c.path.as_str()), f.line),
        });
    }
    if let Some(d) = &s.doc {
        if let Some((n, h)) = d.heading(&["evaluation", "results", "benchmark"]) {
            evaluation.push(Evidence {
                what: format!("section \"{h}\""),
                place: d.at(n),
            });
        }
    }
    evaluation.extend(s.files_under(|n| n.ends_with(".py") && n.starts_with("eval")));
    evidenced("evaluation", evaluation)
}

/// Documentation: the card or README itself, then a paper or technical report it links.
pub(super) fn documentation(s: &Scope) -> Dimension {
    let mut documentation = Vec::new();
    if let Some(p) = s.subject.doc {
        documentation.push(Evidence {
            what: if s.card.is_some() {
                "model card".to_string()
            } else {
                "README".to_string()
            },
            place: p.to_string(),
        });
    }
    if let Some(d) = &s.doc {
        if let Some((n, _)) = d.line_with(&[&["arxiv.org/"], &["technical report"]]) {
            documentation.push(Evidence {
                what: "paper or technical report".to_string(),
                place: d.at(n),
            });
        }
    }
    evidenced("documentation", documentation)
}

#[cfg(test)]
mod tests {
    use super::training_dataset_link;

    #[test]
    fn a_dataset_link_is_training_data_only_when_it_is_what_was_trained_on() {
        assert!(training_dataset_link(
            "Download this 15M parameter model I trained on the [TinyStories](https://huggingface.co/datasets/roneneldan/TinyStories) dataset"
        ));
        assert!(training_dataset_link(
            "fine-tuned on [UltraChat](https://hf.co/datasets/HuggingFaceH4/ultrachat_200k)"
        ));
        // A news item about another project's dataset, and an image kept in a dataset repository.
        assert!(!training_dataset_link(
            "RLAIF-V, the alignment technique, is accepted! The [dataset](https://huggingface.co/datasets/openbmb/RLAIF-V-Dataset) is open-sourced"
        ));
        assert!(!training_dataset_link(
            "trained with {\"url\": \"https://huggingface.co/datasets/openbmb/DemoCase/resolve/main/refract.png\"}"
        ));
        assert!(!training_dataset_link(
            "train on https://huggingface.co/datasets/"
        ));
    }
}
