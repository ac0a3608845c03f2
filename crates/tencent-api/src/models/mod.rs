//! Wire models for the CVM and VPC actions the console uses (see `scripts/gen_models.py`).

pub mod cvm;
pub mod launch_template;
pub mod resources;
pub mod vpc;
