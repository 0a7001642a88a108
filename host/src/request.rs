//! Request parameters from any of the accepted bodies: `application/x-www-form-urlencoded`,
//! `multipart/form-data` (text fields and file parts) and JSON objects. Query-string parameters
//! are read too, with lower precedence.

use std::collections::HashMap;

use axum::http::HeaderMap;
use bytes::Bytes;

use crate::answer::{Answer, Status};

/// A parameter value: text, or the raw bytes of a multipart file part.
#[derive(Clone, Debug)]
pub enum Param {
    Text(String),
    File(Bytes),
}

/// The parameters of one request.
#[derive(Debug, Default)]
pub struct Params {
    values: HashMap<String, Param>,
}

impl Params {
    /// Parses the body according to its content type.
    pub async fn parse(
        headers: &HeaderMap,
        query: Option<&str>,
        body: Bytes,
    ) -> Result<Params, Answer> {
        let mut params = Params::default();
        if let Some(query) = query {
            for (k, v) in form_urlencoded::parse(query.as_bytes()) {
                params
                    .values
                    .insert(k.into_owned(), Param::Text(v.into_owned()));
            }
        }
        // The media type compares case-insensitively; the multipart boundary does not (browsers
        // send mixed-case ones such as `----WebKitFormBoundaryAbC...`).
        let raw_content_type = headers
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let content_type = raw_content_type.to_ascii_lowercase();
        if body.is_empty() {
            return Ok(params);
        }
        if content_type.starts_with("multipart/form-data") {
            params.parse_multipart(raw_content_type, body).await?;
        } else if content_type.starts_with("application/json") || content_type.ends_with("+json") {
            params.parse_json(&body)?;
        } else if content_type.is_empty()
            || content_type.starts_with("application/x-www-form-urlencoded")
        {
            for (k, v) in form_urlencoded::parse(&body) {
                params
                    .values
                    .insert(k.into_owned(), Param::Text(v.into_owned()));
            }
        } else {
            return Err(Answer::error(
                Status::InvalidRequest,
                format!(
                    "unsupported content type {content_type:?}: use application/x-www-form-urlencoded, multipart/form-data or application/json"
                ),
            ));
        }
        Ok(params)
    }

    fn parse_json(&mut self, body: &[u8]) -> Result<(), Answer> {
        let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
            Answer::error(
                Status::InvalidRequest,
                format!("body is not valid JSON: {e}"),
            )
        })?;
        let serde_json::Value::Object(map) = value else {
            return Err(Answer::error(
                Status::InvalidRequest,
                "JSON body must be an object",
            ));
        };
        for (k, v) in map {
            let text = match v {
                serde_json::Value::String(s) => s,
                serde_json::Value::Null => continue,
                other => other.to_string(),
            };
            self.values.insert(k, Param::Text(text));
        }
        Ok(())
    }

    async fn parse_multipart(&mut self, content_type: &str, body: Bytes) -> Result<(), Answer> {
        let boundary = multer::parse_boundary(content_type).map_err(|e| {
            Answer::error(Status::InvalidRequest, format!("bad multipart body: {e}"))
        })?;
        let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
        let mut multipart = multer::Multipart::new(stream, boundary);
        loop {
            let field = match multipart.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => break,
                Err(e) => {
                    return Err(Answer::error(
                        Status::InvalidRequest,
                        format!("bad multipart body: {e}"),
                    ))
                }
            };
            let Some(name) = field.name().map(str::to_string) else {
                continue;
            };
            let is_file = field.file_name().is_some();
            let data = field.bytes().await.map_err(|e| {
                Answer::error(Status::InvalidRequest, format!("bad multipart body: {e}"))
            })?;
            let value = if is_file {
                Param::File(data)
            } else {
                Param::Text(String::from_utf8_lossy(&data).into_owned())
            };
            self.values.insert(name, value);
        }
        Ok(())
    }

    /// Parameters from name/value pairs (in-process callers).
    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, Param)>) -> Params {
        Params {
            values: pairs.into_iter().collect(),
        }
    }

    /// A parameter by name.
    pub fn get(&self, name: &str) -> Option<&Param> {
        self.values.get(name)
    }

    /// A text parameter, trimmed; `None` when absent or empty.
    pub fn text(&self, name: &str) -> Option<&str> {
        match self.values.get(name)? {
            Param::Text(s) => Some(s.trim()).filter(|s| !s.is_empty()),
            Param::File(_) => None,
        }
    }

    /// Whether a flag parameter such as `details=1` is set.
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.text(name), Some("1" | "true" | "yes" | "y"))
    }

    /// Text parameters as a plain map (for built-in services taking strings).
    pub fn text_map(&self) -> HashMap<String, String> {
        self.values
            .iter()
            .filter_map(|(k, v)| match v {
                Param::Text(s) => Some((k.clone(), s.clone())),
                Param::File(_) => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn multipart_boundaries_keep_their_case() {
        // Chromium's FormData boundary is mixed-case; lower-casing it loses every part.
        let boundary = "----WebKitFormBoundaryAbCdEfGh12";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"img\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\nPNGDATA\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"debug\"\r\n\r\n1\r\n--{boundary}--\r\n"
        );
        let mut headers = HeaderMap::new();
        headers.insert(
            axum::http::header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}")
                .parse()
                .unwrap(),
        );
        let params = Params::parse(&headers, None, Bytes::from(body))
            .await
            .expect("parsed");
        assert!(params.flag("debug"));
        assert!(matches!(params.get("img"), Some(Param::File(b)) if &b[..] == b"PNGDATA"));
    }
}
