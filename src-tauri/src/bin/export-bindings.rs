//! Regenerates `ui/src/backend/bindings.ts` from the registered command list.
fn main() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(cvm_console::BINDINGS_PATH);
    if let Err(e) = cvm_console::export_bindings(&path) {
        eprintln!("export-bindings: {e}");
        std::process::exit(1);
    }
    println!("wrote {}", path.display());
}
