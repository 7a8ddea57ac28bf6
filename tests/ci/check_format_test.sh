#!/usr/bin/env bash
# Test of .ci/check-format: in a scratch git work tree with the repository's .clang-format,
# an unformatted tracked file makes the check fail and name the file; once clang-format
# has been applied the check passes. Untracked files are not checked.
set -euo pipefail
src=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$src/.clang-format" "$work/"
cd "$work"
git init -q .
printf 'int   f( int a ){return a+1;}\n' > bad.cpp
git add .clang-format bad.cpp

if out=$(bash "$src/.ci/check-format" "$work" 2>&1); then
  echo "FAIL: the check passed on an unformatted file"; echo "$out"; exit 1
fi
grep -q "bad.cpp" <<<"$out" || { echo "FAIL: the report does not name bad.cpp"; echo "$out"; exit 1; }

clang-format -i bad.cpp
printf 'int   g( ){return 0;}\n' > untracked.cpp
if ! out=$(bash "$src/.ci/check-format" "$work" 2>&1); then
  echo "FAIL: the check failed on a formatted tree"; echo "$out"; exit 1
fi
echo "ok"
