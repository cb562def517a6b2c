# Sourced by ./gossip, ./test, ./bench and .ci/run: finds a JDK >= 21 and exports JAVA_HOME.
# Order: $JAVA_HOME if it is new enough, else the newest suitable JDK under /usr/lib/jvm.
# Nothing has to be exported by hand; the machines ship JDK 17 as the default `java`.

gossip_java_major() { # prints the feature version of the JDK at $1, or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

gossip_find_java() {
  local best="" best_v=0 dir v
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(gossip_java_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then return 0; fi
  fi
  for dir in /usr/lib/jvm/*/; do
    dir=${dir%/}
    [ -L "$dir" ] && continue
    v=$(gossip_java_major "$dir")
    if [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best=$dir; best_v=$v; fi
  done
  if [ -z "$best" ]; then
    echo "gossip: no JDK 21 or newer found (JAVA_HOME unset or too old, nothing suitable in /usr/lib/jvm); install one, e.g. 'apt-get install temurin-21-jdk' or 'openjdk-21-jdk'" >&2
    return 1
  fi
  export JAVA_HOME=$best
}
