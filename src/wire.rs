//! The wire format of page data: JSON, written by `serde_json` on the server and read in the
//! browser by the browser's own `JSON.parse`, whose result serde-wasm-bindgen walks into the
//! Rust types: the bundle carries no JSON parser of its own (measured 6 KB brotli less).
//!
//! [`Wire`] serves the places page data travels: the answers of the server functions
//! (`output = WireJson`) and the values of the page's resources written into the first page
//! for hydration (`Resource<T, Wire>`, see `site::page_data`), and the values a page carries
//! for hydration (`SharedValue`); [`from_json`] reads the few answers fetched outside them.
use leptos::server::codee::{Decoder, Encoder};
use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// JSON written on the server, parsed by the browser.
pub struct Wire;

/// The output encoding of the page-data server functions.
pub type WireJson = Post<Wire>;

/// Why an answer could not be read (shown in logs only; the page shows the offline/error view).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct WireError(String);

impl ContentType for Wire {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for Wire {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for Wire {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for Wire {
    type Error = WireError;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes).map_err(|error| WireError(error.to_string()))?;
        from_json(text)
    }
}

impl<T: Serialize> Encoder<T> for Wire {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, Self::Error> {
        serde_json::to_string(value)
    }
}

impl<T: DeserializeOwned> Decoder<T> for Wire {
    type Error = WireError;
    type Encoded = str;

    fn decode(text: &str) -> Result<T, Self::Error> {
        from_json(text)
    }
}

/// In the browser: `JSON.parse`, then the parsed value into `T`.
#[cfg(all(feature = "hydrate", target_arch = "wasm32"))]
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, WireError> {
    let value = js_sys::JSON::parse(text).map_err(|_| WireError("not JSON".to_owned()))?;
    serde_wasm_bindgen::from_value(value).map_err(|error| WireError(error.to_string()))
}

/// Elsewhere (the server, tests): `serde_json`, which reads the same JSON the same way.
#[cfg(not(all(feature = "hydrate", target_arch = "wasm32")))]
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, WireError> {
    serde_json::from_str(text).map_err(|error| WireError(error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;

    #[derive(Debug, PartialEq, Serialize, serde::Deserialize)]
    struct Sample {
        title: String,
        lang: Lang,
        seats: Option<u32>,
    }

    #[test]
    fn page_data_travels_as_plain_json() {
        let sample = Sample {
            title: "Лятно парти".into(),
            lang: Lang::Bg,
            seats: None,
        };
        let text = <Wire as Encoder<Sample>>::encode(&sample).unwrap();
        assert_eq!(text, r#"{"title":"Лятно парти","lang":"bg","seats":null}"#);
        assert_eq!(<Wire as Decoder<Sample>>::decode(&text).unwrap(), sample);
        let bytes = <Wire as Encodes<Sample>>::encode(&sample).unwrap();
        assert_eq!(<Wire as Decodes<Sample>>::decode(bytes).unwrap(), sample);
    }

    #[test]
    fn an_unreadable_answer_is_an_error_not_a_panic() {
        assert!(<Wire as Decoder<Sample>>::decode("{\"title\":").is_err());
        assert!(<Wire as Decodes<Sample>>::decode(Bytes::from_static(&[0xff, 0xfe])).is_err());
    }
}
