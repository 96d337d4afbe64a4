fn main() {
    let _ = linesift::analysis::numbers::NAME;
}
