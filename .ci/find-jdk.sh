# Sourced by .ci/run and ./hilos: exports JAVA_HOME pointing to a JDK >= 25, or exits with a message.
# Order: JAVA_HOME if it is >= 25, else the lowest JDK >= 25 under /usr/lib/jvm.
hilos_min_java=25

hilos_java_version() { # prints the feature version of the JDK at $1, or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

hilos_find_jdk() {
  local v best="" best_v=""
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(hilos_java_version "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge "$hilos_min_java" ]; then
      return 0
    fi
  fi
  for dir in /usr/lib/jvm/*; do
    [ -d "$dir" ] || continue
    v=$(hilos_java_version "$dir")
    if [ -n "$v" ] && [ "$v" -ge "$hilos_min_java" ] && { [ -z "$best_v" ] || [ "$v" -lt "$best_v" ]; }; then
      best="$dir"
      best_v="$v"
    fi
  done
  if [ -z "$best" ]; then
    echo "error: Hilos needs a JDK $hilos_min_java or newer. JAVA_HOME is '${JAVA_HOME:-unset}' and /usr/lib/jvm has none;" >&2
    echo "       install one (for example Temurin 25) and set JAVA_HOME to it." >&2
    exit 1
  fi
  export JAVA_HOME="$best"
}

hilos_find_jdk
export PATH="$JAVA_HOME/bin:$PATH"
