//! Every output the README shows comes from the code: its `console` blocks
//! are run as they stand, from the repository root, and their output is
//! compared line for line (trycmd). Edit the README, or the code, and this
//! fails until the two agree again.

#![cfg(feature = "cli")]

#[test]
fn the_readme_shows_what_the_cli_prints() {
    trycmd::TestCases::new()
        .register_bin(
            "graph-checkout-route",
            std::path::Path::new(env!("CARGO_BIN_EXE_graph-checkout-route")),
        )
        .case("README.md");
}
