//! inventory: parsing what the walk found. Cards (front matter with key lines) live here;
//! license texts are identified by `license::identify`.

pub mod card;
pub mod code;
pub mod front_matter;
pub mod gguf;
pub mod prose;
