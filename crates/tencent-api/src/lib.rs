//! Tencent Cloud API 3.0 client for CVM and VPC.

pub mod sign;
