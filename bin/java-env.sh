# Sourced by ./parley and ./test: finds a JDK 21+ and exports JAVA_HOME (exits 1 with a clear message if none).
java_major() { # prints the feature version of the java binary $1, or nothing
  "$1" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}'
}

find_java() {
  local candidates=()
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME/bin/java")
  for d in /usr/lib/jvm/temurin-25* /usr/lib/jvm/temurin-2[1-9]* /usr/lib/jvm/*2[1-9]* /usr/lib/jvm/* \
           /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/*; do
    [[ -x "$d/bin/java" ]] && candidates+=("$d/bin/java")
  done
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  for j in "${candidates[@]}"; do
    local major; major="$(java_major "$j" || true)"
    if [[ -n "$major" && "$major" -ge 21 ]]; then echo "$j"; return 0; fi
  done
  return 1
}

JAVA="$(find_java)" || {
  echo "parley: needs a JDK 21 or newer (found none in JAVA_HOME, /usr/lib/jvm or on PATH)." >&2
  echo "        Install one, e.g. Temurin 25 (https://adoptium.net), and set JAVA_HOME." >&2
  exit 1
}
export JAVA_HOME="$(cd "$(dirname "$JAVA")/.." && pwd)"
