#!/usr/bin/env bash
# Runs every Jazzer fuzz target (*FuzzTest) in fuzzing mode for DURATION each, one after another, and prints the
# executions and coverage of each. The default suite fuzzes the same targets a few seconds each (see FUZZING.md).
#
#   bench/fuzz.sh [DURATION] [FILTER]      DURATION per target: 30s, 10m, 1h (default 10m)
#                                          FILTER: only targets whose class name contains it, e.g. Chunk
#   FUZZ_EXCLUDE=A,B bench/fuzz.sh ...     leaves out the targets whose class name contains A or B
#
# The inputs Jazzer finds interesting stay in <module>/.cifuzz-corpus/ (git-ignored), so a later run goes on from
# them; a failing input lands in the target's Inputs/ resource directory, to be committed as a regression case.
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${1:-10m}"
filter="${2:-}"
case "$duration" in
  *h) seconds=$(( ${duration%h} * 3600 )) ;;
  *m) seconds=$(( ${duration%m} * 60 )) ;;
  *s) seconds=${duration%s} ;;
  *[0-9]) seconds=$duration ;;
  *) echo "duration like 30s, 10m or 1h, not $duration" >&2; exit 2 ;;
esac

# module/path/to/Class.java for every target
mapfile -t targets < <(find . -path '*/src/test/java/*' -name '*FuzzTest.java' -not -path './.git/*' | sed 's|^\./||' | sort)
[ ${#targets[@]} -gt 0 ] || { echo "no *FuzzTest classes found" >&2; exit 1; }

mkdir -p target
summary=target/fuzz-summary.txt
printf '%-52s %8s %12s %8s %8s %8s  %s\n' target seconds executions exec/s cov ft result | tee "$summary"
failed=0
for file in "${targets[@]}"; do
  module=${file%%/src/test/java/*}
  class=$(basename "$file" .java)
  fqcn=$(echo "${file#*/src/test/java/}" | sed 's|\.java$||; s|/|.|g')
  [[ -z "$filter" || "$class" == *"$filter"* ]] || continue
  skip=0
  exclude="${FUZZ_EXCLUDE:-}"
  for x in ${exclude//,/ }; do [[ "$class" == *"$x"* ]] && skip=1; done
  [ $skip = 0 ] || continue
  log="target/fuzz-$class.log"
  start=$(date +%s)
  result=PASS
  # -Djazzer.internal.arg.N: libFuzzer arguments after the @FuzzTest's own, so -max_total_time here wins over
  # its maxDuration (arg 0 stands for argv[0]); JAZZER_FUZZ=1 turns fuzzing on, -Dtest picks the one target
  JAZZER_FUZZ=1 mvn -B -pl "$module" -am test -Dtest="$class" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time="$seconds" \
      -Djazzer.internal.arg.2=-print_final_stats=1 >"$log" 2>&1 || { result=FAIL; failed=1; }
  elapsed=$(( $(date +%s) - start ))
  # libFuzzer writes its figures to the native stderr, which lands in the Maven log; Jazzer's own lines in surefire's
  out="$module/target/surefire-reports/$fqcn-output.txt"
  execs=$(cat "$log" "$out" 2>/dev/null | grep -o 'stat::number_of_executed_units: [0-9]*' | tail -1 | awk '{print $2}' || true)
  rate=$(cat "$log" "$out" 2>/dev/null | grep -o 'stat::average_exec_per_sec: *[0-9]*' | tail -1 | awk '{print $2}' || true)
  status=$(cat "$log" "$out" 2>/dev/null | grep -oE '^#[0-9]+[[:space:]]+(DONE|NEW|REDUCE|pulse|INITED).*cov: [0-9]+ ft: [0-9]+' | tail -1 || true)
  cov=$(echo "$status" | sed -nE 's/.*cov: ([0-9]+).*/\1/p')
  ft=$(echo "$status" | sed -nE 's/.*ft: ([0-9]+).*/\1/p')
  printf '%-52s %8s %12s %8s %8s %8s  %s\n' "$module/$class" "$elapsed" "${execs:--}" "${rate:--}" "${cov:--}" "${ft:--}" \
      "$result$([ $result = FAIL ] && echo " (see $log and $out)")" | tee -a "$summary"
done
echo "cov: code edges reached, ft: libFuzzer features; seconds include the build and JVM start (summary: $summary)"
exit $failed
