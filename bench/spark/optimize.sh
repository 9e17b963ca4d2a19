#!/usr/bin/env bash
# verdant optimize on one small model, on this machine and with --spark 'local[2]', side by side in one run
# (order: one machine, local[2], local[2], one machine): the wall time of each, and whether the searches found the
# same candidates, qualities, sizes, tolerance verdicts and Pareto front.
# Usage: SPARK_HOME=DIR bench/spark/optimize.sh MODEL.onnx [DATA]   (SPARK_HOME/jars: Spark 4.1+ and its jars)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
model="$1"
data="${2:-fashion-mnist-sample}"
out="$(mktemp -d)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
run() { # run NAME [--spark MASTER]
  local name="$1"; shift
  local start end
  start=$(date +%s.%N)
  "$root/verdant" optimize "$model" --data "$data" --max-accuracy-drop 2pt --max-candidates 3 --threads 1 \
      --measure-time 1s --work "$out/$name" --json "$@" > "$out/$name.json"
  end=$(date +%s.%N)
  echo "$name: $(echo "$end - $start" | bc) s wall"
}
run single-1
run spark-1 --spark 'local[2]'
run spark-2 --spark 'local[2]'
run single-2
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
def search(name):
    s = json.load(open(f"{out}/{name}.json"))["search"]
    candidates = [(c["id"], c["error"], json.dumps(c["quality"], sort_keys=True), json.dumps(c["facts"], sort_keys=True))
                  for c in s["candidates"]]
    points = [(p["name"], p["meets_tolerance"]) for p in s["points"]]
    return candidates, points, s["front"], s["chosen"], s.get("executors")
runs = {n: search(n) for n in ["single-1", "spark-1", "spark-2", "single-2"]}
base = runs["single-1"]
for name, (candidates, points, front, chosen, executors) in runs.items():
    print(f"{name}: candidates {[c[0] for c in candidates]}, front {front}, chosen {chosen}, "
          f"same candidates/qualities/sizes/verdicts as single-1: {candidates == base[0] and points == base[1]}, "
          f"same front: {front == base[2]}" + (f", executors {executors['hosts']}" if executors else ""))
PY
