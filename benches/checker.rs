//! Benchmark of the expiry checker (a report, not a timed test): classifications per second
//! natively and in WebAssembly (Node), and the module's raw and gzip sizes.
//!
//! Run with `cargo bench --bench checker` (or bench/checker/run.sh, which adds the Chromium
//! load-and-first-answer time). The inputs are every case of tests/checker-cases/cases.json,
//! classified in turn, so the mix covers every state and every error path. Files go to
//! bench/out/checker/.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use beian_checker::{classify_json, parse_date, Rules};
use beian_guide::wasm::embedded;

const TODAY: &str = "2026-10-20";
const RUN_FOR: Duration = Duration::from_secs(2);

fn main() -> anyhow::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rules_path = root.join("content/checker/rules.toml");
    let rules_text = std::fs::read_to_string(&rules_path)
        .with_context(|| format!("cannot read {}", rules_path.display()))?;
    let rules: Rules = toml::from_str(&rules_text)
        .with_context(|| format!("{} is not valid rules data", rules_path.display()))?;
    let inputs = load_inputs(root)?;
    let today = parse_date(TODAY).context("bad TODAY")?;

    println!(
        "checker benchmark: {} inputs from tests/checker-cases/cases.json",
        inputs.len()
    );

    // Native, classification only.
    let (calls, elapsed) = run(|| {
        for text in &inputs {
            std::hint::black_box(classify_json(text, &rules, today).ok());
        }
        inputs.len()
    });
    report("native classify_json", calls, elapsed);

    // Native, like for like with the wasm call: output serialized to JSON text.
    let (calls, elapsed) = run(|| {
        for text in &inputs {
            let out = classify_json(text, &rules, today)
                .ok()
                .and_then(|o| serde_json::to_string(&o).ok());
            std::hint::black_box(out);
        }
        inputs.len()
    });
    report("native classify_json + to_string", calls, elapsed);

    // WebAssembly.
    // Compiled into the library by build.rs.
    let assets = embedded();
    let out_dir = root.join("bench/out/checker");
    std::fs::create_dir_all(&out_dir)
        .with_context(|| format!("cannot create {}", out_dir.display()))?;
    let js = assets.file(&assets.js_path).context("no JS glue")?;
    let wasm = assets.file(&assets.wasm_path).context("no wasm")?;
    write(&out_dir.join("checker.js"), js)?;
    write(&out_dir.join("checker.wasm"), wasm)?;
    write(
        &out_dir.join("rules.json"),
        serde_json::to_string(&rules)?.as_bytes(),
    )?;
    write(
        &out_dir.join("inputs.json"),
        serde_json::to_string(&inputs)?.as_bytes(),
    )?;

    let wasm_gz = gzip_size(&out_dir.join("checker.wasm"))?;
    let js_gz = gzip_size(&out_dir.join("checker.js"))?;
    println!(
        "sizes: {} wasm {} B raw / {} B gzip -9; {} {} B raw / {} B gzip -9; total gzip {} B ({:.1} KiB, budget 60 KB)",
        assets.wasm_path,
        wasm.len(),
        wasm_gz,
        assets.js_path,
        js.len(),
        js_gz,
        wasm_gz + js_gz,
        (wasm_gz + js_gz) as f64 / 1024.0
    );

    let script = root.join("bench/checker/wasm-bench.mjs");
    let out = Command::new("node")
        .arg(&script)
        .arg(&out_dir)
        .arg(RUN_FOR.as_secs().to_string())
        .output()
        .context("cannot run node (install Node.js 20+ to benchmark the WebAssembly)")?;
    if !out.status.success() {
        bail!(
            "{} failed: {}",
            script.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .with_context(|| format!("{} printed no JSON", script.display()))?;
    let num = |k: &str| v[k].as_f64().unwrap_or(f64::NAN);
    println!(
        "wasm (Node {}): compile+instantiate {:.1} ms, rules load {:.2} ms",
        node_version(),
        num("instantiateMs"),
        num("rulesMs")
    );
    println!(
        "{:<36} {:>12.0} /s  ({:.2} µs per call, {} calls)",
        "wasm Checker.classify (JSON in/out)",
        num("perSecond"),
        num("microsPerCall"),
        v["calls"]
    );
    Ok(())
}

/// Runs `pass` (which returns how many classifications it did) until RUN_FOR has passed.
fn run(mut pass: impl FnMut() -> usize) -> (usize, Duration) {
    pass(); // warm-up
    let start = Instant::now();
    let mut calls = 0;
    while start.elapsed() < RUN_FOR {
        calls += pass();
    }
    (calls, start.elapsed())
}

fn report(what: &str, calls: usize, elapsed: Duration) {
    let secs = elapsed.as_secs_f64();
    println!(
        "{what:<36} {:>12.0} /s  ({:.2} µs per call, {calls} calls)",
        calls as f64 / secs,
        secs * 1e6 / calls as f64
    );
}

fn load_inputs(root: &Path) -> anyhow::Result<Vec<String>> {
    let path = root.join("tests/checker-cases/cases.json");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let cases: Vec<serde_json::Value> =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    Ok(cases.iter().map(|c| c["input"].to_string()).collect())
}

fn write(path: &PathBuf, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// Size after `gzip -9` (the command, so no compression crate is needed for a report).
fn gzip_size(path: &Path) -> anyhow::Result<usize> {
    let out = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .context("cannot run gzip")?;
    if !out.status.success() {
        bail!("gzip failed on {}", path.display());
    }
    Ok(out.stdout.len())
}

fn node_version() -> String {
    Command::new("node")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}
