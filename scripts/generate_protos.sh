#!/usr/bin/env bash
# Regenerates the Python code for proto/ into the directory given (default:
# packages/protos/src). `make check-generated` runs it into a scratch
# directory and compares, so committed code can never drift from proto/.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-packages/protos/src}
py=${PYTHON:-.venv/bin/python}
rm -rf "$out/shvya"
mkdir -p "$out"
mapfile -t files < <(cd proto && find shvya -name '*.proto' | LC_ALL=C sort)
(cd proto && "../$py" -m grpc_tools.protoc -I . \
  --python_out="../$out" --grpc_python_out="../$out" --pyi_out="../$out" "${files[@]}") 2>&1 \
  | sed "s#^#protoc: #"
# Every generated directory becomes a regular package so that tools which do
# not follow namespace packages (and hatchling) see the modules.
find "$out/shvya" -type d -exec sh -c 'for d; do : > "$d/__init__.py"; done' sh {} +
