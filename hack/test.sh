#!/bin/bash
# The project's test command: makes sure the test control plane is built (cached after the first run),
# then runs every test project. Extra arguments go to `dotnet test`, e.g. hack/test.sh --filter Category=x
set -euo pipefail
cd "$(dirname "$0")/.."
hack/control-plane/build.sh
exec dotnet test Webhook.sln "$@"
