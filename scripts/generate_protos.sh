#!/usr/bin/env bash
# Regenerates the Python code for proto/ into the directory given (default:
# packages/protos/src). `make check-generated` runs it into a scratch
# directory and compares, so committed code can never drift from proto/.
# Generation happens in a scratch directory first: a failed run never leaves
# the target without its generated code.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-packages/protos/src}
mkdir -p "$out"
out=$(cd "$out" && pwd)
py=${PYTHON:-.venv/bin/python}
case "$py" in /*) ;; *) py="$PWD/$py" ;; esac  # absolute, but not resolved: a venv's python is a symlink
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mapfile -t files < <(cd proto && find shvya -name '*.proto' | LC_ALL=C sort)
(cd proto && "$py" -m grpc_tools.protoc -I . \
  --python_out="$scratch" --grpc_python_out="$scratch" --pyi_out="$scratch" "${files[@]}")
# Every generated directory becomes a regular package so that tools which do
# not follow namespace packages (and hatchling) see the modules.
find "$scratch/shvya" -type d -exec sh -c 'for d; do : > "$d/__init__.py"; done' sh {} +
rm -rf "$out/shvya"
mv "$scratch/shvya" "$out/shvya"
