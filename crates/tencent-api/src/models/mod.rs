//! Wire models for the CVM, VPC and Cloud Monitor actions the console uses (see
//! `scripts/gen_models.py`).

pub mod cvm;
pub mod launch_template;
pub mod monitor;
pub mod resources;
pub mod vpc;
