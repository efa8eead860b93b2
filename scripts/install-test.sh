#!/bin/sh
# Run by `make test`: `make install` into a temporary prefix (under DESTDIR, as a package build
# does), then checks what a user gets: the binary runs, the man page renders with `man -l` without
# a warning, the bash/zsh/fish completions name every subcommand; `make uninstall` then removes
# exactly what was installed. Uses the debug build the tests made (CONFIGURATION=debug).
set -eu
CONFIGURATION=${CONFIGURATION:-debug}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/outdial-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=/opt/outdial
root="$tmp/root"
fail() { echo "install test: $*" >&2; exit 1; }

make -s install CONFIGURATION="$CONFIGURATION" PREFIX="$prefix" DESTDIR="$root" >"$tmp/install.log" 2>&1 \
    || { cat "$tmp/install.log" >&2; fail "make install failed"; }

base="$root$prefix"
files="bin/outdial share/bash-completion/completions/outdial share/zsh/site-functions/_outdial
share/fish/vendor_completions.d/outdial.fish share/man/man1/outdial.1"
for file in $files; do
    [ -s "$base/$file" ] || fail "$prefix/$file was not installed"
done
[ -x "$base/bin/outdial" ] || fail "$prefix/bin/outdial is not executable"
installed=$(cd "$root" && find . -type f | sort)
[ "$(echo "$installed" | wc -l)" -eq 5 ] || fail "make install put other files: $installed"

"$base/bin/outdial" --version >/dev/null || fail "the installed outdial does not run"

# The man page: rendered by man without a warning, and it documents the subcommands.
MANWIDTH=100 man --warnings -l "$base/share/man/man1/outdial.1" >"$tmp/man.txt" 2>"$tmp/man.err" \
    || fail "man -l failed: $(cat "$tmp/man.err")"
[ ! -s "$tmp/man.err" ] || fail "man -l warned: $(cat "$tmp/man.err")"
subcommands="validate plan run replay spool simulate stop outcomes report suppress ledger"
for command in $subcommands; do
    grep -q "outdial $command" "$tmp/man.txt" || fail "the man page does not document outdial $command"
done
grep -q "Batch runner for Amazon Connect outbound calls" "$tmp/man.txt" || fail "the man page has no abstract"

for shell in bash-completion/completions/outdial zsh/site-functions/_outdial fish/vendor_completions.d/outdial.fish; do
    for command in $subcommands; do
        grep -q "$command" "$base/share/$shell" || fail "$shell does not complete $command"
    done
done
bash -n "$base/share/bash-completion/completions/outdial" || fail "the bash completion script does not parse"
# In bash, the completion offers the subcommands.
offered=$(bash -c '. "$1"; COMP_WORDS=(outdial re); COMP_CWORD=1; COMP_LINE="outdial re"; COMP_POINT=10;
    _outdial_bash outdial re outdial 2>/dev/null || _outdial outdial re outdial 2>/dev/null; echo "${COMPREPLY[*]}"' \
    _ "$base/share/bash-completion/completions/outdial")
case "$offered" in *replay*report*|*report*replay*) ;; *) fail "bash completes 're' as '$offered'" ;; esac

make -s uninstall PREFIX="$prefix" DESTDIR="$root" >/dev/null
left=$(cd "$root" && find . -type f)
[ -z "$left" ] || fail "make uninstall left: $left"
echo "install test: make install and make uninstall under a temporary DESTDIR: ok"
