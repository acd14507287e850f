# Sourced: exports JAVA_HOME pointing at a JDK >= 21 (the machine default may be older).
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1; }
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME")" -ge 21 ]; then
  :
else
  best=""
  for dir in /usr/lib/jvm/* /opt/java/* "$HOME"/.sdkman/candidates/java/*; do
    [ -x "$dir/bin/javac" ] || continue
    major=$(java_major "$dir")
    if [ "${major:-0}" -ge 21 ]; then best="$dir"; fi
  done
  if [ -z "$best" ]; then
    echo "Bulwark needs a JDK 21 or newer; none found (set JAVA_HOME)." >&2
    return 1 2>/dev/null || exit 1
  fi
  export JAVA_HOME="$best"
fi
export PATH="$JAVA_HOME/bin:$PATH"
echo "Using JDK at $JAVA_HOME ($(java_major "$JAVA_HOME"))"
