//! Wire models for the CVM, VPC and Cloud Monitor actions the console uses (see
//! `scripts/gen_models.py`), and the STS and tag actions (written by hand).

pub mod cvm;
pub mod launch_template;
pub mod monitor;
pub mod resources;
pub mod sts;
pub mod tag;
pub mod vpc;
