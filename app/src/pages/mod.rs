pub mod account;
pub mod channels;
pub mod dashboard;
pub mod feed;
pub mod not_found;
pub mod people;
