//! The configuration file: `--config FILE` or `TOWNHALL_CONFIG`, TOML whose keys are the
//! settings' long flags (`database-url = "postgres://…"`, `backup-keep = 14`,
//! `trusted-proxies = ["10.0.0.0/8"]`).
//!
//! Every setting can come from a flag, its `TOWNHALL_*` variable or the file, in that
//! order of precedence: the file's values become the flags' defaults, so clap itself
//! prefers whatever the command line or the environment says. A key no command knows,
//! or a value its flag would refuse, stops the program before anything starts, naming
//! the file, the key and what is wrong.

use clap::Command;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

/// The variable that names the file when `--config` does not.
pub const ENV: &str = "TOWNHALL_CONFIG";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {0}: {1}")]
    Read(String, #[source] std::io::Error),
    #[error("{0} is not valid TOML: {1}")]
    Syntax(String, String),
    #[error("{file}: unknown setting `{key}`; the settings are: {known}")]
    Unknown {
        file: String,
        key: String,
        known: String,
    },
    #[error("{file}: `{key}`: {message}")]
    Invalid {
        file: String,
        key: String,
        message: String,
    },
}

/// The file `--config FILE` (or `--config=FILE`) names among `args`, else the one
/// `TOWNHALL_CONFIG` names. Read before clap parses: the file changes the parser.
pub fn named(args: &[OsString]) -> Option<PathBuf> {
    let mut words = args.iter().skip(1);
    while let Some(word) = words.next() {
        if word == "--" {
            break;
        }
        if word == "--config" {
            return words.next().map(PathBuf::from);
        }
        if let Some(value) = word.to_str().and_then(|w| w.strip_prefix("--config=")) {
            return Some(PathBuf::from(value));
        }
    }
    std::env::var_os(ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// `command` with the settings in `file` as its flags' defaults.
pub fn apply(command: Command, file: &Path) -> Result<Command, ConfigError> {
    let shown = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|e| ConfigError::Read(shown.clone(), e))?;
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| ConfigError::Syntax(shown.clone(), e.message().to_owned()))?;
    let mut command = command;
    for (key, value) in table {
        let long = key.replace('_', "-");
        let invalid = |message: String| ConfigError::Invalid {
            file: shown.clone(),
            key: key.clone(),
            message,
        };
        if !settings(&command).contains(&long) {
            return Err(ConfigError::Unknown {
                file: shown.clone(),
                key,
                known: settings(&command).join(", "),
            });
        }
        let value = match value {
            toml::Value::String(s) => s,
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Float(f) => f.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            toml::Value::Array(items) => items
                .iter()
                .map(|item| match item {
                    toml::Value::String(s) => Ok(s.clone()),
                    toml::Value::Integer(i) => Ok(i.to_string()),
                    _ => Err(invalid("a list may hold only strings and numbers".into())),
                })
                .collect::<Result<Vec<_>, _>>()?
                .join(","),
            _ => {
                return Err(invalid(
                    "expected a string, a number, true/false or a list".into(),
                ))
            }
        };
        command = with_default(command, &long, &value).map_err(invalid)?;
    }
    Ok(command)
}

/// The settings a file may hold: the long names of the flags that have a `TOWNHALL_*`
/// variable, in this command and its subcommands (operands such as `backup --to` are
/// not settings).
pub fn settings(command: &Command) -> Vec<String> {
    let mut found: Vec<String> = command
        .get_arguments()
        .filter(|arg| arg.get_env().is_some())
        .filter_map(|arg| arg.get_long().map(str::to_owned))
        // The file cannot name another file.
        .filter(|long| long != "config")
        .chain(command.get_subcommands().flat_map(settings))
        .collect();
    found.sort();
    found.dedup();
    found
}

/// Sets `value` as the default of every flag named `long`, here and below, after
/// checking it with the flag's own parser (so the file's mistakes are reported as the
/// file's, not as a flag the operator never typed).
fn with_default(command: Command, long: &str, value: &str) -> Result<Command, String> {
    let mut command = command;
    let ids: Vec<String> = command
        .get_arguments()
        .filter(|arg| arg.get_long() == Some(long))
        .map(|arg| arg.get_id().to_string())
        .collect();
    for id in ids {
        let arg = command
            .get_arguments()
            .find(|arg| arg.get_id() == id.as_str())
            .expect("found above");
        // The flag alone, given the value as if typed: clap's own parsing and message.
        Command::new("townhall")
            .arg(arg.clone().required(false).global(false))
            .try_get_matches_from([
                OsStr::new("townhall"),
                OsStr::new(&format!("--{long}={value}")),
            ])
            .map_err(|e| first_line(&e.to_string()))?;
        command = command.mut_arg(&id, |arg| arg.default_value(value.to_owned()));
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_owned())
        .collect();
    for name in names {
        let sub = command.find_subcommand(&name).expect("listed").clone();
        let sub = with_default(sub, long, value)?;
        command = command.mut_subcommand(&name, |_| sub);
    }
    Ok(command)
}

/// clap's message without its `error:` prefix and usage lines.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message);
    line.strip_prefix("error: ").unwrap_or(line).to_owned()
}

#[cfg(test)]
mod tests {
    use super::named;
    use std::ffi::OsString;
    use std::path::PathBuf;

    fn args(words: &[&str]) -> Vec<OsString> {
        words.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_file_is_found_before_parsing() {
        assert_eq!(
            named(&args(&["townhall", "serve", "--config", "a.toml"])),
            Some(PathBuf::from("a.toml"))
        );
        assert_eq!(
            named(&args(&["townhall", "--config=b.toml", "doctor"])),
            Some(PathBuf::from("b.toml"))
        );
    }
}
