//! cvm-sim: a local, stateful emulator of the Tencent Cloud CVM and VPC APIs.
