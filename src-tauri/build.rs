//! Generates the Tauri context (config, capabilities, icons) and the
//! permissions for the app's own commands. The capabilities live in
//! src-tauri/capabilities (the Tauri default would be ./capabilities next to
//! tauri.conf.json, which is the repository root here).

// The commands, from the one list main.rs registers (src/commands.rs).
include!("src/commands.rs");

/// The commands' names, as their permissions are named (`allow-<name>`).
macro_rules! command_names {
    ($($module:ident :: $name:ident),* $(,)?) => {
        &[$(stringify!($name)),*]
    };
}

const COMMANDS: &[&str] = app_commands!(command_names);

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/src/commands.rs");
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run the Tauri build script");
}
