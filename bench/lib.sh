# bench/lib.sh: what the benchmark scripts share, sourced after they set their defaults.
#
#   bench_parse NAME "$@"  reads the common options into the caller's variables:
#                          --n "N …" → ns, --runs N → runs, --work DIR → work, --bin PATH → bin;
#                          any other option goes to the caller's `bench_option OPTION VALUE`
#                          (if it defines one), which returns 0 when it took the option and its
#                          value; an option nobody takes ends the script with status 2
#   bench_site DIR TITLE [TOML]
#                          a one-page site skeleton in DIR: the repository's templates and
#                          static folder, a book.toml titled TITLE (TOML, e.g. an
#                          [output.html] table, goes after [book]; no checker wasm, search on)
#                          and a home page linking `page.md`, which the caller writes
#   bench_binary           sets bin to the release binary, building it first, unless --bin
#                          named one (to compare two versions)
# Needs `repo` (the repository's root) set by the caller.

bench_parse() {
  local name=$1
  shift
  while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || { echo "$name: $1 needs a value (or is unknown)" >&2; exit 2; }
    case "$1" in
      --n) ns=$2 ;;
      --runs) runs=$2 ;;
      --work) work=$2 ;;
      --bin) bin=$2 ;;
      *)
        if ! { declare -F bench_option >/dev/null && bench_option "$1" "$2"; }; then
          echo "$name: unknown argument $1" >&2
          exit 2
        fi
        ;;
    esac
    shift 2
  done
}

bench_binary() {
  if [ -z "${bin:-}" ]; then
    local target="${CARGO_TARGET_DIR:-$repo/target}"
    (cd "$repo" && cargo build --release --locked -p beian-guide --quiet)
    bin="$target/release/beian-guide"
  fi
}

bench_site() {
  local site=$1 title=$2 extra=${3:-}
  mkdir -p "$site/content"
  cp -r "$repo/templates" "$repo/static" "$site/"
  printf '[book]\ntitle = "%s"\n%b[checker]\nwasm = false\n[search]\nenabled = true\n' \
    "$title" "$extra" > "$site/book.toml"
  printf '+++\ntitle = "首页"\n+++\n\n[页面](page.md)\n' > "$site/content/_index.md"
}
