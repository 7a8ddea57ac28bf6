#!/usr/bin/env bash
# The layering of core/ and mcp/: a file in core/<folder> may include only core folders that
# <folder> links (directly or through them), as core/CMakeLists.txt declares them in
# <build>/core_layers.txt; nothing in mcp/ includes core/; nothing in core/ or mcp/
# includes a plugin's header. Prints every offending include; exits 1 when there is one.
set -euo pipefail
src=$1
layers=$2
declare -A uses
while IFS=: read -r folder deps; do
  [ -n "$folder" ] && uses[$folder]=${deps//,/ }
done < "$layers"
[ ${#uses[@]} -gt 0 ] || { echo "no layers in $layers"; exit 1; }

# The folders <folder> may include: itself and the closure of what it links.
closure() {
  local -A seen=([$1]=1)
  local todo=($1) f d
  while [ ${#todo[@]} -gt 0 ]; do
    f=${todo[0]}; todo=("${todo[@]:1}")
    for d in ${uses[$f]:-}; do
      [ -n "${seen[$d]:-}" ] || { seen[$d]=1; todo+=("$d"); }
    done
  done
  echo "${!seen[@]}"
}

bad=0
for dir in "$src"/core/*/; do
  folder=$(basename "$dir")
  if [ -z "${uses[$folder]+x}" ]; then
    echo "core/$folder is not a library in core/CMakeLists.txt"; bad=1; continue
  fi
  allowed=" $(closure "$folder") "
  while IFS= read -r hit; do
    used=$(sed -E 's|.*#include "core/([a-z_]+)/.*|\1|' <<<"$hit")
    if [[ "$allowed" != *" $used "* ]]; then
      echo "core/$folder may not include core/$used: ${hit#"$src"/}"; bad=1
    fi
  done < <(grep -Hn '#include "core/' "$dir"* 2>/dev/null || true)
done
while IFS= read -r hit; do
  echo "mcp/ may not include core/: ${hit#"$src"/}"; bad=1
done < <(grep -rHn '#include "core/' "$src/mcp" || true)
while IFS= read -r hit; do
  echo "no plugin header outside plugins/: ${hit#"$src"/}"; bad=1
done < <(grep -rHn '#include "plugins/' "$src/core" "$src/mcp" || true)
[ $bad -eq 0 ] && echo "ok: ${#uses[@]} core layers"
exit $bad
