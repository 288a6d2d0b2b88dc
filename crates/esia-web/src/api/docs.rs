//! `/emulator/api/docs`: the OpenAPI document rendered as one readable page (endpoints grouped by
//! tag with parameters, bodies and responses, then the schemas), server-side and without
//! JavaScript or CDN assets, so it works offline. `/emulator/api/openapi.json` is the source.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde_json::Value;

use super::openapi;
use crate::respond::html;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/emulator/api/openapi.json",
        web::get().to(openapi::openapi_json),
    )
    .route("/emulator/api/docs", web::get().to(page));
}

struct ParamView {
    name: String,
    location: String,
    required: bool,
    description: String,
    schema: String,
}

struct ResponseView {
    status: String,
    description: String,
    schema: String,
}

struct OperationView {
    method: String,
    path: String,
    summary: String,
    description: String,
    params: Vec<ParamView>,
    request: String,
    responses: Vec<ResponseView>,
}

struct TagView {
    name: String,
    description: String,
    operations: Vec<OperationView>,
}

#[derive(Template)]
#[template(path = "api_docs.html")]
struct DocsPage {
    title: String,
    description: String,
    tags: Vec<TagView>,
    schemas: Vec<(String, String)>,
}

const METHODS: &[&str] = &["get", "post", "put", "patch", "delete"];

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

/// A schema as a short label: the component name of a `$ref`, else compact JSON.
fn schema_label(schema: Option<&Value>) -> String {
    match schema {
        None => String::new(),
        Some(s) => match s.get("$ref").and_then(Value::as_str) {
            Some(r) => r.rsplit('/').next().unwrap_or(r).to_string(),
            None => s.to_string(),
        },
    }
}

fn json_body_schema(content_holder: &Value) -> String {
    schema_label(content_holder.pointer("/content/application~1json/schema"))
}

fn operation(method: &str, path: &str, op: &Value) -> OperationView {
    let params = op
        .get("parameters")
        .and_then(Value::as_array)
        .map(|ps| {
            ps.iter()
                .map(|p| ParamView {
                    name: text(p, "name"),
                    location: text(p, "in"),
                    required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                    description: text(p, "description"),
                    schema: schema_label(p.get("schema")),
                })
                .collect()
        })
        .unwrap_or_default();
    let responses = op
        .get("responses")
        .and_then(Value::as_object)
        .map(|rs| {
            rs.iter()
                .map(|(status, r)| ResponseView {
                    status: status.clone(),
                    description: text(r, "description"),
                    schema: json_body_schema(r),
                })
                .collect()
        })
        .unwrap_or_default();
    OperationView {
        method: method.to_uppercase(),
        path: path.to_string(),
        summary: text(op, "summary"),
        description: text(op, "description"),
        params,
        request: op
            .get("requestBody")
            .map(json_body_schema)
            .unwrap_or_default(),
        responses,
    }
}

/// Groups the document's operations by their first tag, in the order the tags are declared.
fn build(doc: &Value) -> DocsPage {
    let mut tags: Vec<TagView> = doc
        .get("tags")
        .and_then(Value::as_array)
        .map(|ts| {
            ts.iter()
                .map(|t| TagView {
                    name: text(t, "name"),
                    description: text(t, "description"),
                    operations: Vec::new(),
                })
                .collect()
        })
        .unwrap_or_default();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for method in METHODS {
                let Some(op) = item.get(*method) else {
                    continue;
                };
                let tag = op
                    .pointer("/tags/0")
                    .and_then(Value::as_str)
                    .unwrap_or("other")
                    .to_string();
                let index = match tags.iter().position(|t| t.name == tag) {
                    Some(i) => i,
                    None => {
                        tags.push(TagView {
                            name: tag,
                            description: String::new(),
                            operations: Vec::new(),
                        });
                        tags.len() - 1
                    }
                };
                tags[index].operations.push(operation(method, path, op));
            }
        }
    }
    tags.retain(|t| !t.operations.is_empty());
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|s| {
            s.iter()
                .map(|(name, schema)| {
                    let pretty = serde_json::to_string_pretty(schema).unwrap_or_default();
                    (name.clone(), pretty)
                })
                .collect()
        })
        .unwrap_or_default();
    DocsPage {
        title: doc
            .pointer("/info/title")
            .and_then(Value::as_str)
            .unwrap_or("API")
            .into(),
        description: doc
            .pointer("/info/description")
            .and_then(Value::as_str)
            .unwrap_or("")
            .into(),
        tags,
        schemas,
    }
}

async fn page() -> HttpResponse {
    html(actix_web::http::StatusCode::OK, &build(openapi::document()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_documented_operation_appears_on_the_page() {
        let doc = super::openapi::document();
        let page = super::build(doc);
        let operations: usize = page.tags.iter().map(|t| t.operations.len()).sum();
        let documented: usize = doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|item| {
                super::METHODS
                    .iter()
                    .filter(|m| item.get(**m).is_some())
                    .count()
            })
            .sum();
        assert!(documented > 0);
        assert_eq!(operations, documented);
        assert!(page.schemas.iter().any(|(name, _)| name == "ErrorBody"));
    }
}
