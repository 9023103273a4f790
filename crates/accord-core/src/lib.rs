//! placeholder
pub mod logic;
