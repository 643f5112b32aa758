# Sourced by the benchmark scripts, right after `cd` to the repository: as root, runs the calling script again in a
# session of its own whose scheduler autogroup gets nice level $NICE (default -20), so that on a shared machine other
# work yields the CPU to the measured processes. With autogroup scheduling (the default on most distributions) nice
# only ranks processes within one session; a session of our own, with its autogroup's nice lowered, ranks the
# benchmark above the other sessions. It cannot make anything faster than on an idle machine. NICE=0 turns it off.
#   bench_session "$0" "$@"     (sets nice_level for the caller)
bench_session() {
  local script="$1"
  shift
  nice_level="${NICE:--20}"
  if [ "$(id -u)" -eq 0 ] && [ "$nice_level" != 0 ] && [ -z "${BENCH_SESSION:-}" ] && [ -w /proc/self/autogroup ]; then
    BENCH_SESSION=1 exec setsid --wait "$PWD/$script" "$@"
  fi
  if [ -n "${BENCH_SESSION:-}" ]; then echo "$nice_level" >/proc/self/autogroup; fi
}
