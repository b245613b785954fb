# Sourced by ./mvnw, ./hilos and .ci/run (POSIX sh): exports JAVA_HOME pointing to a JDK >= 25 and puts its
# bin first on the PATH, or stops with a message that lists every place it looked and what it found there.
# Order: JAVA_HOME if it is >= 25; else the `java` on the PATH if it is >= 25; else the lowest JDK >= 25
# under /usr/lib/jvm (then /Library/Java/JavaVirtualMachines/*/Contents/Home on macOS).
hilos_min_java=25

hilos_java_version() { # prints the feature version of the JDK at $1 (java and javac present), or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

hilos_find_jdk() {
  hilos_looked=""
  if [ -n "${JAVA_HOME:-}" ]; then
    hilos_v=$(hilos_java_version "$JAVA_HOME")
    if [ -n "$hilos_v" ] && [ "$hilos_v" -ge "$hilos_min_java" ]; then
      return 0
    fi
    hilos_looked="JAVA_HOME=$JAVA_HOME (${hilos_v:-no JDK there})"
  else
    hilos_looked="JAVA_HOME (not set)"
  fi
  hilos_path_java=$(command -v java 2>/dev/null || true)
  if [ -n "$hilos_path_java" ]; then
    hilos_path_home=$(cd "$(dirname "$(readlink -f "$hilos_path_java" 2>/dev/null || echo "$hilos_path_java")")/.." && pwd)
    hilos_v=$(hilos_java_version "$hilos_path_home")
    if [ -n "$hilos_v" ] && [ "$hilos_v" -ge "$hilos_min_java" ]; then
      hilos_use_jdk "$hilos_path_home" "$hilos_looked"
      return 0
    fi
    hilos_looked="$hilos_looked; java on the PATH: $hilos_path_home (${hilos_v:-not a JDK})"
  else
    hilos_looked="$hilos_looked; java on the PATH (none)"
  fi
  hilos_best="" hilos_best_v=""
  hilos_noglob=$(case $- in *f*) echo yes;; esac)
  set +f
  for hilos_dir in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$hilos_dir" ] || continue
    hilos_v=$(hilos_java_version "$hilos_dir")
    hilos_looked="$hilos_looked; $hilos_dir (${hilos_v:-not a JDK})"
    if [ -n "$hilos_v" ] && [ "$hilos_v" -ge "$hilos_min_java" ] &&
       { [ -z "$hilos_best_v" ] || [ "$hilos_v" -lt "$hilos_best_v" ]; }; then
      hilos_best="$hilos_dir"
      hilos_best_v="$hilos_v"
    fi
  done
  [ -z "$hilos_noglob" ] || set -f
  if [ -z "$hilos_best" ]; then
    echo "error: Hilos needs a JDK $hilos_min_java or newer and found none." >&2
    echo "  looked at: $hilos_looked" >&2
    echo "  Install one (for example Temurin $hilos_min_java) and set JAVA_HOME to it." >&2
    exit 1
  fi
  hilos_use_jdk "$hilos_best" "$hilos_looked"
}

hilos_use_jdk() { # $1: the JDK chosen; $2: what was looked at before it
  if [ -n "${JAVA_HOME:-}" ]; then
    echo "note: JAVA_HOME=$JAVA_HOME is older than JDK $hilos_min_java; using $1 (looked at: $2)" >&2
  fi
  JAVA_HOME="$1"
  export JAVA_HOME
}

hilos_find_jdk
PATH="$JAVA_HOME/bin:$PATH"
export PATH
