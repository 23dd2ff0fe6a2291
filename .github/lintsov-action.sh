#!/usr/bin/env bash
# The GitHub Action's lint step (action.yml): run lintsov once, writing the log format to
# stdout, SARIF to $LINTSOV_SARIF and the Markdown summary to $GITHUB_STEP_SUMMARY, and
# hand the exit code to the later steps. Inputs arrive as environment variables.
set -uo pipefail

read -r -a paths <<<"$(printf '%s' "${LINTSOV_PATHS:-.}" | tr '\n' ' ')"
read -r -a extra <<<"${LINTSOV_ARGS:-}"
summary=$(mktemp)
options=(
  --format "${LINTSOV_FORMAT:-github}"
  --fail-on "${LINTSOV_FAIL_ON:-error}"
  --output "sarif=${LINTSOV_SARIF:-lintsov.sarif}"
  --output "markdown=$summary"
)
[ -n "${LINTSOV_CONFIG:-}" ] && options+=(--config "$LINTSOV_CONFIG")
[ -n "${LINTSOV_BASELINE:-}" ] && options+=(--baseline "$LINTSOV_BASELINE")

code=0
lintsov check "${paths[@]}" "${options[@]}" ${extra[@]+"${extra[@]}"} || code=$?

# upload-sarif keeps a run's own automationDetails.id over its category input, so the
# action's category is written into the report itself.
sarif="${LINTSOV_SARIF:-lintsov.sarif}"
if [ -n "${LINTSOV_CATEGORY:-}" ] && [ -s "$sarif" ]; then
  python - "$sarif" "$LINTSOV_CATEGORY" <<'PY'
import json, sys
path, category = sys.argv[1], sys.argv[2].rstrip("/") + "/"
with open(path, encoding="utf-8") as handle:
    document = json.load(handle)
for run in document["runs"]:
    run["automationDetails"] = {"id": category}
with open(path, "w", encoding="utf-8") as handle:
    json.dump(document, handle, indent=2, ensure_ascii=False)
    handle.write("\n")
PY
fi

if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -s "$summary" ]; then
  cat "$summary" >>"$GITHUB_STEP_SUMMARY"
fi
rm -f "$summary"
echo "exit-code=$code" >>"${GITHUB_OUTPUT:-/dev/null}"
# The step itself succeeds, so that SARIF upload still runs; the last step fails the job.
exit 0
