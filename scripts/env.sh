# Shared settings of the project scripts: build caches live outside the clone so that every
# checkout (and CI's fresh clone) reuses them.
export NGO_CACHE="${NGO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ngo-portal}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$NGO_CACHE/target}"
export PKG_DIR="${PKG_DIR:-$CARGO_TARGET_DIR/site/pkg}"
export PATH="$HOME/.cargo/bin:$NGO_CACHE/tools/node_modules/.bin:$PATH"
export CARGO_TERM_QUIET="${CARGO_TERM_QUIET:-false}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT

# Pinned tool versions (see README "Toolchain").
TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.129
BINARYEN_VERSION=132.0.0
# Minifies the wasm-bindgen JS (Trunk's own JS minifier fails on its `export default`).
TERSER_VERSION=5.51.4
# Lighthouse 13 needs Node 22; the machines have Node 20.
LIGHTHOUSE_VERSION=12.8.2

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
