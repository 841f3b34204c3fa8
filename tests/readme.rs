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

/// The gateway configs the README shows are the files the sidecar's tests
/// start (examples/gateways/), word for word.
#[test]
fn the_readme_shows_the_gateway_configs_the_tests_run() {
    let readme = include_str!("../README.md");
    for (name, text) in [
        (
            "nginx.conf",
            include_str!("../examples/gateways/nginx.conf"),
        ),
        ("Caddyfile", include_str!("../examples/gateways/Caddyfile")),
        (
            "envoy.yaml",
            include_str!("../examples/gateways/envoy.yaml"),
        ),
        (
            "traefik.yml",
            include_str!("../examples/gateways/traefik.yml"),
        ),
        (
            "traefik-dynamic.yml",
            include_str!("../examples/gateways/traefik-dynamic.yml"),
        ),
        (
            "policy.toml",
            include_str!("../examples/gateways/policy.toml"),
        ),
    ] {
        assert!(
            readme.contains(text.trim_end()),
            "README.md does not show examples/gateways/{name} as it is"
        );
    }
}

/// The access-log lines the README shows are the start of the example log
/// the summary under them is run on.
#[test]
fn the_readme_shows_the_example_log_as_it_is() {
    let readme = include_str!("../README.md");
    let log = include_str!("../examples/access.log");
    let start: String = log.split_inclusive('\n').take(3).collect();
    assert!(
        readme.contains(&format!("```text\n{start}```")),
        "README.md does not show the first lines of examples/access.log"
    );
}
