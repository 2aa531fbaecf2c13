pub mod company;
pub mod demo;
pub mod knowledge;
