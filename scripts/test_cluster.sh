#!/usr/bin/env bash
# test_cluster.sh (make test-cluster; not in CI): the Slurm scripts of scripts/slurm/ end to end.
# Starts munge and a one-node Slurm (slurmctld + slurmd) on localhost from a minimal slurm.conf
# in a temporary directory, submits the study's job chain (submit_study.sh) for the mini preset
# in 2 shards, waits for it, runs the same study here without Slurm (same threads), and compares
# the result files: every file but manifest*.json (wall times) and report/ (it carries the time
# it was made), as tests/test_reproduce.cpp does. The shards' tasks run at the same time, so this
# also checks that concurrent shards of one study do not disturb each other.
# Prints PASS or FAIL (exit 1); the daemons are stopped and the directory removed either way.
#
# Variables: LANDSCAPE (binary, default build/f32/landscape), LANDSCAPE_DATA (MNIST, default
# data/mnist), PRESET (mini), SHARDS (2), THREADS (1 per task), TIMEOUT (seconds for the chain,
# 600), SLURMCTLD_PORT / SLURMD_PORT (16817 / 16818, away from a real Slurm's 6817 / 6818),
# KEEP=1 keeps the temporary directory (logs, both studies) for a look after a failure.
# Needs root (slurmd starts jobs as their user) and the `cluster` packages (installed here).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bin=${LANDSCAPE:-build/f32/landscape}
preset=${PRESET:-mini}
shards=${SHARDS:-2}
threads=${THREADS:-1}
timeout=${TIMEOUT:-600}
ctld_port=${SLURMCTLD_PORT:-16817}
slurmd_port=${SLURMD_PORT:-16818}

[ -x "$bin" ] || { echo "test-cluster: no binary at $bin (make build, or LANDSCAPE=...)" >&2; exit 2; }
bin=$(realpath "$bin")
LANDSCAPE_DATA=$(realpath "${LANDSCAPE_DATA:-data/mnist}")
export LANDSCAPE_DATA
[ -f "$LANDSCAPE_DATA/train-images-idx3-ubyte" ] || { echo "test-cluster: no MNIST in $LANDSCAPE_DATA (make data)" >&2; exit 2; }
scripts/ensure_deps.sh cluster

# munged refuses a socket in a directory that not everyone may enter: 0755, the key stays 0600.
tmp=$(mktemp -d /tmp/landscape-cluster.XXXXXX)
chmod 755 "$tmp"
export SLURM_CONF=$tmp/slurm.conf
jobs=()

pid_of() { [ -s "$1" ] && cat "$1"; }
stop_pid() {  # stop_pid PIDFILE: TERM, then KILL after 10 s, the one process the file names
  local pid
  pid=$(pid_of "$1") || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
}
cleanup() {
  set +e
  if [ -n "$(pid_of "$tmp/slurmctld.pid")" ]; then
    [ ${#jobs[@]} -gt 0 ] && scancel "${jobs[@]}" 2>/dev/null
    for _ in $(seq 30); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 1; done
    scontrol shutdown >/dev/null 2>&1
  fi
  stop_pid "$tmp/slurmd.pid"
  stop_pid "$tmp/slurmctld.pid"
  stop_pid "$tmp/munged.pid"
  if [ "${KEEP:-0}" = 1 ]; then echo "test-cluster: kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
die() {  # die MESSAGE [LOG...]: the logs' tails (default: the daemons'; "" for none), FAIL, exit 1
  local message=$1
  shift
  [ $# -gt 0 ] || set -- "$tmp"/slurmctld.log "$tmp"/slurmd.log "$tmp"/munged.log
  for f in "$@"; do [ -f "$f" ] && { echo "--- tail of $f"; tail -n 12 "$f"; }; done
  echo "test-cluster: $message"
  echo FAIL
  exit 1
}

# --- munge: its own key, socket, pid and log files, nothing in /etc or /run
mungekey --create --keyfile="$tmp/munge.key"
chmod 600 "$tmp/munge.key"
munged --key-file="$tmp/munge.key" --socket="$tmp/munge.sock" --pid-file="$tmp/munged.pid" \
  --log-file="$tmp/munged.log" --seed-file="$tmp/munged.seed" || die "munged did not start"

# --- Slurm: one node "localhost" with this machine's CPUs, one partition, no accounting, no
# cgroups (proctrack/linuxproc), daemons as the current user. kill_invalid_depend cancels the
# jobs after a failed one, so the queue drains; MinJobAge keeps finished jobs for scontrol.
mkdir -p "$tmp/state" "$tmp/spool"
user=$(id -un)
cat >"$SLURM_CONF" <<EOF
ClusterName=landscape-test
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge.sock
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
MinJobAge=3600
DependencyParameters=kill_invalid_depend
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -f "$SLURM_CONF" || die "slurmctld did not start"
slurmd -f "$SLURM_CONF" -N localhost || die "slurmd did not start"
for _ in $(seq 60); do [ "$(sinfo -h -o %T 2>/dev/null)" = idle ] && break; sleep 0.5; done
[ "$(sinfo -h -o %T 2>/dev/null)" = idle ] || die "the node did not come up idle: $(sinfo -h 2>&1)"
echo "test-cluster: $(sinfo -V), node localhost with $(nproc) CPUs is idle"

# --- the study through Slurm
start=$SECONDS
submitted=$(scripts/slurm/submit_study.sh --out "$tmp/slurm" --logs "$tmp/logs" --preset "$preset" \
  --shards "$shards" --threads "$threads" --landscape "$bin" --data "$LANDSCAPE_DATA" \
  2>"$tmp/submit.log") || die "submit_study.sh failed" "$tmp/submit.log"
echo "$submitted" | sed 's/^/  submitted /'
read -r -a jobs <<<"$(echo "$submitted" | awk '{print $2}' | tr '\n' ' ')"
[ ${#jobs[@]} -eq 6 ] || die "expected 6 job ids from submit_study.sh"
while [ -n "$(squeue -h -j "$(IFS=,; echo "${jobs[*]}")" 2>/dev/null)" ]; do
  [ $((SECONDS - start)) -lt "$timeout" ] || die "the chain did not finish in ${timeout}s: $(squeue)"
  sleep 1
done
slurm_seconds=$((SECONDS - start))
failed=0
for id in "${jobs[@]}"; do
  # one line per job, or per task of an array: "1_0 landscape-train COMPLETED 12:00:01-12:00:03"
  while read -r line; do
    field() { grep -oE "(^| )$1=[^ ]*" <<<"$line" | cut -d= -f2; }
    task=$(field JobId)
    [ -n "$(field ArrayTaskId)" ] && task=$(field ArrayJobId)_$(field ArrayTaskId)
    echo "  $task $(field JobName) $(field JobState) $(field StartTime | cut -dT -f2)-$(field EndTime | cut -dT -f2)"
    [ "$(field JobState)" = COMPLETED ] || failed=1
  done < <(scontrol -o show job "$id")
done
[ $failed = 0 ] || die "a job did not complete (the jobs after a failed one are cancelled)" "$tmp"/logs/*
echo "test-cluster: the chain finished in ${slurm_seconds}s"

# --- the same study here, without Slurm
start=$SECONDS
OMP_NUM_THREADS=$threads "$bin" reproduce --preset "$preset" --out "$tmp/local" --threads "$threads" \
  >"$tmp/local.log" 2>&1 || die "the local study failed" "$tmp/local.log"
echo "test-cluster: the local study took $((SECONDS - start))s"

# --- compare: every result file but manifests and the report, byte for byte
results() { (cd "$1" && find . -type f ! -name 'manifest*' ! -path './report/*' | sort); }
[ -f "$tmp/slurm/report/index.html" ] || die "the Slurm study wrote no report/index.html" "$tmp"/logs/report-*
diff <(results "$tmp/local") <(results "$tmp/slurm") >"$tmp/list.diff" ||
  die "the two studies hold different files (< local, > Slurm)" "$tmp/list.diff"
n=0
differ=()
while read -r f; do
  n=$((n + 1))
  cmp -s "$tmp/local/$f" "$tmp/slurm/$f" || differ+=("$f")
done < <(results "$tmp/local")
[ $n -gt 0 ] || die "no result files found" ""
[ ${#differ[@]} -eq 0 ] || die "${#differ[@]} of $n result files differ, e.g. ${differ[*]:0:5}" ""
echo "test-cluster: $n result files (all but manifest*.json and report/) identical, Slurm vs local"
echo "test-cluster: preset $preset, shards $shards, threads $threads per task: PASS"
echo PASS
