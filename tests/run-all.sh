#!/usr/bin/env bash
# The whole test suite (`npm test`): build, static checks, unit, integration and browser tests.
# The tests run on the embedded PostgreSQL (the default engine). With TEST_DATABASE_URL (an external PostgreSQL
# server URL whose user may create databases), the integration and browser tests run a second time on it. Every step runs; the exit code says if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
rm -rf .test-output && mkdir -p .test-output
# Everything printed (the browser tests' server included) is kept for the last check: no plan content in any log.
exec > >(tee .test-output/suite.log) 2>&1
failed_steps=()

step() {
  local name=$1; shift
  echo
  echo "=== $name"
  if ! "$@"; then failed_steps+=("$name"); fi
}

vitest_project() { # project, report name
  npx vitest run --project "$1" --reporter=default --reporter=json --outputFile.json=".test-output/$2.json"
}

integration_on_embedded() {
  (unset TEST_DATABASE_URL; vitest_project integration integration-embedded)
}

e2e_on_external() {
  local url
  url=$(node --import tsx tests/helpers/create-database.ts) || return 1
  E2E_DATABASE_URL="$url" E2E_REPORT=e2e-external npx playwright test
}

# The messages are compiled first: vite.config.ts itself reads the server config, which uses them.
step "build" npm run -s build -- --logLevel warn
step "type check (svelte-check)" npm run -s check
step "lint (eslint)" npm run -s lint
step "unit tests" vitest_project unit unit
step "integration tests on the embedded PostgreSQL" integration_on_embedded
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  step "integration tests on the external PostgreSQL" vitest_project integration integration-external
fi
if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  step "browser tests on the embedded PostgreSQL" env -u TEST_DATABASE_URL E2E_REPORT=e2e-embedded npx playwright test
  if [ -n "${TEST_DATABASE_URL:-}" ]; then
    step "browser tests on the external PostgreSQL" e2e_on_external
  fi
else
  echo "Chromium is missing: install it with 'apt-get install -y chromium' (the browser tests use /usr/bin/chromium, or CHROMIUM_PATH)." >&2
  failed_steps+=("browser tests (Chromium missing)")
fi

step "no plan content in server logs" node --import tsx tests/helpers/check-logs.ts .test-output

echo
node --import tsx tests/helpers/summarise-reports.ts .test-output
if ((${#failed_steps[@]})); then
  printf 'Failed: %s\n' "${failed_steps[@]}"
  exit 1
fi
