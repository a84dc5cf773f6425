//! Input rules (WL900–WL902): files that could not be used as they are. The scan goes on
//! without them; these diagnostics keep the gate from failing open.

pub(super) mod wl900_unreadable_file;
pub(super) mod wl901_malformed_front_matter;
pub(super) mod wl902_file_skipped;
