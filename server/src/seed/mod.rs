pub mod company;
pub mod demo;
