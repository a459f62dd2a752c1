#!/bin/bash
# skytrace generate on a Slurm cluster: one array task per shard, all writing
# into one shared folder, then one job that merges and checks the set.
#
#   jid=$(sbatch --parsable docker/slurm-array.sh --flights 8000 --seed 7)
#   sbatch --dependency=afterany:$jid --array=0 docker/slurm-array.sh merge
#
# Each task takes its shard from Slurm with --shard auto (K from the task ID,
# MIN and STEP, M from COUNT), so --array may be any one range, with a step or
# a limit (0-7, 1-8, 0-14:2, 0-7%4); a list such as 1,3,7 is refused. The
# folder is $SKYTRACE_OUT, else data/ where sbatch was run; `skytrace` must be
# on PATH (npm install -g skytrace-uav). A task that fails can be resubmitted:
# it resumes. The merge step (exit 1 when flights are missing) says what is not there.
#SBATCH --job-name=skytrace
#SBATCH --array=0-7
#SBATCH --cpus-per-task=4
#SBATCH --time=12:00:00
#SBATCH --output=skytrace-%A_%a.log
set -euo pipefail
out=${SKYTRACE_OUT:-${SLURM_SUBMIT_DIR:-$PWD}/data}
if [ "${1:-}" = merge ]; then
  exec skytrace merge "$out"
fi
exec skytrace generate --shard auto --workers "${SLURM_CPUS_PER_TASK:-1}" --progress lines --out "$out" "$@"
