// Shared by the `compile` module and `core/build.rs` (by `include!`): only `toml` and
// `serde_json` may be used here.

/// The JSON text of one TOML rule file, or the TOML parser's message when the file does not
/// parse. Dates and date-times become ISO strings (`"2013-11-01"`); floats stay numbers (the
/// loader refuses them where only integers or decimal strings are allowed, as it does in TOML).
///
/// Only the syntax is checked here: load the result (or the TOML) to check the rules.
pub fn toml_to_json(text: &str) -> Result<String, String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| e.message().trim().to_string())?;
    let json = toml_value_to_json(toml::Value::Table(table))?;
    serde_json::to_string(&json).map_err(|e| e.to_string())
}

fn toml_value_to_json(value: toml::Value) -> Result<serde_json::Value, String> {
    Ok(match value {
        toml::Value::String(s) => serde_json::Value::String(s),
        toml::Value::Integer(n) => serde_json::Value::from(n),
        toml::Value::Float(f) => serde_json::Number::from_f64(f)
            .map(serde_json::Value::Number)
            .ok_or_else(|| format!("the float {f} has no JSON form"))?,
        toml::Value::Boolean(b) => serde_json::Value::Bool(b),
        toml::Value::Datetime(d) => serde_json::Value::String(d.to_string()),
        toml::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(toml_value_to_json).collect::<Result<_, _>>()?)
        }
        toml::Value::Table(table) => serde_json::Value::Object(
            table.into_iter().map(|(k, v)| Ok((k, toml_value_to_json(v)?))).collect::<Result<_, String>>()?,
        ),
    })
}
