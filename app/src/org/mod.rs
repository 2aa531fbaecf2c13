//! The organisation: who people are (profiles, departments, managers), how they join
//! (invitations) and how admins change their access. The logic behind the people and
//! admin server functions, callable without HTTP.

pub mod access;
pub mod departments;
pub mod invitations;
pub mod profile;
