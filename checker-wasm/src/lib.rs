//! wasm-bindgen bindings over `beian_checker`; no logic of its own.
