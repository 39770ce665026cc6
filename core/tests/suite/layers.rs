//! The layers ARCHITECTURE.md promises, checked on the source: no import
//! circle between the core's files, and the store never reaches up to the
//! renderer. `cargo test -p regulars --test suite layers` runs it; a failure names
//! the files of the circle.
//!
//! Each file of `core/src` (but the CLI in `src/bin`) is a module. An edge
//! A → B is a path in A's code (`use` lines and paths inside functions) that
//! names B: `crate::store::ops::…`, `super::Store` (the parent's file), or a
//! child module by its bare name. Re-exports (`pub use`) and `mod` lines are
//! not edges, nor is a file's `#[cfg(test)]` part.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// `crate::store::ops` for `core/src/store/ops.rs`, `crate::store` for
/// `core/src/store/mod.rs`, `crate` for `lib.rs`.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    std::iter::once("crate".to_string()).chain(parts).collect::<Vec<_>>().join("::")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "bin") {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file that counts: up to its tests, without comments,
/// re-exports and `mod` lines.
fn code_lines(source: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    for line in source.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]") {
            break;
        }
        if trimmed.starts_with("//")
            || trimmed.starts_with("pub use ")
            || trimmed.starts_with("pub mod ")
            || trimmed.starts_with("mod ")
            || trimmed.starts_with("pub(crate) mod ")
        {
            continue;
        }
        lines.push(line.split("//").next().unwrap_or(""));
    }
    lines
}

/// Every path of identifiers joined by `::` in `code`, braces of `use`
/// groups expanded: `use super::{ops::a, Store}` gives `super::ops::a` and
/// `super::Store`.
fn paths_in(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let bytes: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let starts_word = (c.is_ascii_alphabetic() || c == '_') && (i == 0 || !is_ident(bytes[i - 1]));
        if starts_word {
            let (end, expanded) = read_path(&bytes, i, String::new());
            found.extend(expanded.into_iter().filter(|p| p.contains("::")));
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    found
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Reads a path starting at `start` (with `prefix` before it), expanding a
/// `{…}` group; returns where it ended and the paths read.
fn read_path(chars: &[char], start: usize, prefix: String) -> (usize, Vec<String>) {
    let mut i = start;
    let mut path = prefix;
    loop {
        let word_start = i;
        while i < chars.len() && is_ident(chars[i]) {
            i += 1;
        }
        path.push_str(&chars[word_start..i].iter().collect::<String>());
        if i + 1 < chars.len() && chars[i] == ':' && chars[i + 1] == ':' {
            i += 2;
            path.push_str("::");
            if i < chars.len() && chars[i] == '{' {
                // A group: each item is a path of its own after the prefix.
                let mut out = Vec::new();
                i += 1;
                loop {
                    while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ',') {
                        i += 1;
                    }
                    if i >= chars.len() || chars[i] == '}' {
                        return (i + 1, out);
                    }
                    if is_ident(chars[i]) {
                        let (end, mut more) = read_path(chars, i, path.clone());
                        out.append(&mut more);
                        i = end;
                        // Skip an `as alias`.
                        while i < chars.len() && chars[i] != ',' && chars[i] != '}' {
                            i += 1;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            if i < chars.len() && is_ident(chars[i]) {
                continue;
            }
        }
        return (i, vec![path]);
    }
}

/// The module a path names from inside `module`, if it is one of `modules`.
fn target_of(path: &str, module: &str, modules: &BTreeSet<String>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    let absolute: Vec<String> = match parts[0] {
        "crate" => parts.iter().map(|p| p.to_string()).collect(),
        "super" => {
            let mut base: Vec<String> = module.split("::").map(String::from).collect();
            let mut rest = &parts[..];
            while rest.first() == Some(&"super") {
                base.pop();
                rest = &rest[1..];
            }
            base.into_iter().chain(rest.iter().map(|p| p.to_string())).collect()
        }
        "self" => module.split("::").map(String::from).chain(parts[1..].iter().map(|p| p.to_string())).collect(),
        child if modules.contains(&format!("{module}::{child}")) && parts.len() > 1 => {
            module.split("::").map(String::from).chain(parts.iter().map(|p| p.to_string())).collect()
        }
        _ => return None,
    };
    // The longest prefix that is a file of the core.
    (1..=absolute.len()).rev().map(|n| absolute[..n].join("::")).find(|m| modules.contains(m))
}

fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut graph = BTreeMap::new();
    for file in &files {
        let module = module_of(&src, file);
        let source = std::fs::read_to_string(file).unwrap();
        let mut edges = BTreeSet::new();
        for line in code_lines(&source) {
            for path in paths_in(line) {
                if let Some(target) = target_of(&path, &module, &modules) {
                    if target != module {
                        edges.insert(target);
                    }
                }
            }
        }
        graph.insert(module, edges);
    }
    graph
}

/// The circles of `graph`: each strongly connected set of two or more files.
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let reaches = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(m) = todo.pop() {
            for next in graph.get(&m).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let reach: BTreeMap<&String, BTreeSet<String>> = graph.keys().map(|m| (m, reaches(m))).collect();
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for m in graph.keys() {
        if done.contains(m) || !reach[m].contains(m) {
            continue;
        }
        let circle: Vec<String> =
            graph.keys().filter(|o| reach[m].contains(*o) && reach[*o].contains(m)).cloned().collect();
        done.extend(circle.iter().cloned());
        out.push(circle);
    }
    out
}

#[test]
fn no_file_of_the_core_imports_one_that_imports_it_back() {
    let graph = module_graph();
    assert!(graph.len() > 20, "the core's files were found: {:?}", graph.keys());
    let found = circles(&graph);
    let described: Vec<String> = found
        .iter()
        .map(|c| {
            let edges: Vec<String> = c
                .iter()
                .flat_map(|a| graph[a].iter().filter(|b| c.contains(b)).map(move |b| format!("{a} → {b}")))
                .collect();
            edges.join(", ")
        })
        .collect();
    assert!(found.is_empty(), "import circles:\n{}", described.join("\n"));
}

#[test]
fn the_store_does_not_import_the_renderer() {
    let graph = module_graph();
    let offending: Vec<String> = graph
        .iter()
        .filter(|(m, _)| m.starts_with("crate::store"))
        .flat_map(|(m, edges)| edges.iter().filter(|e| e.starts_with("crate::pdf")).map(move |e| format!("{m} → {e}")))
        .collect();
    assert!(offending.is_empty(), "the store imports the PDF renderer: {offending:?}");
}

#[test]
fn the_checker_finds_a_circle_and_reads_use_groups() {
    // The checker itself, on a made-up graph and source line.
    let modules: BTreeSet<String> =
        ["crate", "crate::store", "crate::store::ops", "crate::store::owner"].into_iter().map(String::from).collect();
    let paths = paths_in("use super::{ops::check_request_id, owner::{after_sale, Ctx}, Store};");
    assert_eq!(
        paths,
        ["super::ops::check_request_id", "super::owner::after_sale", "super::owner::Ctx", "super::Store"]
    );
    let targets: BTreeSet<_> = paths.iter().filter_map(|p| target_of(p, "crate::store::members", &modules)).collect();
    assert_eq!(
        targets,
        ["crate::store", "crate::store::ops", "crate::store::owner"].into_iter().map(String::from).collect()
    );
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph.insert("a".into(), ["b".to_string()].into());
    graph.insert("b".into(), ["c".to_string()].into());
    graph.insert("c".into(), ["a".to_string()].into());
    graph.insert("d".into(), ["a".to_string()].into());
    assert_eq!(circles(&graph), vec![vec!["a".to_string(), "b".to_string(), "c".to_string()]]);
}
