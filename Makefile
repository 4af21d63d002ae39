# Shvya: `make help` lists every target. CI runs the same targets a person would.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export UV_PYTHON_DOWNLOADS := never
PY := .venv/bin/python

.PHONY: help install dev services up down status logs demo backup restore migrate seed generate check-generated lint console-messages release-contracts fmt test test-fast ai-eval bench bench-smoke bench-faults

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-16s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

install: ## Install what running needs: Debian packages, uv and the Python workspace
	@scripts/bootstrap.sh
	@touch .venv/.installed

dev: ## Install the developer tools too: pytest, ruff, buf, kubectl, kubernetes-validate, py-spy, wrk
	@scripts/bootstrap.sh --dev
	@touch .venv/.installed .venv/.dev-installed

.venv/.installed: uv.lock
	@$(MAKE) --no-print-directory install

.venv/.dev-installed: uv.lock
	@$(MAKE) --no-print-directory dev

services: ## Start PostgreSQL and Redis if they are not running, and create the database
	@scripts/services.sh

up: .venv/.installed services ## Run the whole mesh with the demo company (then: make demo)
	@scripts/mesh.sh up

down: ## Stop the mesh started by `make up`
	@scripts/mesh.sh down

status: ## Show whether the mesh is up and its backends ready
	@scripts/mesh.sh status

logs: ## Follow the mesh's logs
	@scripts/mesh.sh logs

demo: ## Post a sample lead and print the conversation and the email it received
	@$(PY) scripts/demo.py

backup: services ## Dump the crm's database (one consistent snapshot) to .run/backups, or BACKUP_DIR
	@scripts/backup.sh backup >/dev/null

restore: services ## Load a backup into the crm's database: FILE=… (default: the newest); stop the mesh first
	@if [ -f .run/mesh.pid ] && kill -0 "$$(cat .run/mesh.pid)" 2>/dev/null; then \
	  echo "the mesh is running: \`make down\` first, then \`make up\` after the restore" >&2; exit 1; fi
	@scripts/backup.sh restore $(FILE)

migrate: .venv/.installed services ## Apply database migrations
	@$(PY) -m shvya_crm migrate

seed: .venv/.installed services ## Create or refresh the demo company and its course catalogue
	@$(PY) -m shvya_crm seed-demo

generate: .venv/.dev-installed ## Regenerate packages/protos from proto/
	@scripts/generate_protos.sh

check-generated: .venv/.dev-installed ## Fail if packages/protos is stale against proto/
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; scripts/generate_protos.sh "$$tmp"; \
	  if diff -r -q -x __pycache__ "$$tmp/shvya" packages/protos/src/shvya; then echo "generated code is up to date"; \
	  else echo "packages/protos is stale: run 'make generate' and commit" >&2; exit 1; fi

# The contracts as last released: `buf breaking` compares proto/ with them, so that a change that
# would break a caller of the gRPC APIs fails the lint. `make release-contracts` writes a new one.
RELEASED_CONTRACTS := contracts/shvya-0.2.0.binpb

lint: .venv/.dev-installed ## Lint Python (ruff), the architecture (import contracts, no import cycles) and the contracts (buf lint, buf breaking)
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .
	@.venv/bin/lint-imports --no-cache
	@.venv/bin/python scripts/import_cycles.py
	@.venv/bin/buf lint
	@.venv/bin/buf breaking --against $(RELEASED_CONTRACTS) && echo "contracts: no breaking change against $(RELEASED_CONTRACTS)"

console-messages: .venv/.dev-installed ## Extract the console's texts into its catalogue template for translators (locale/messages.pot)
	@scripts/console_messages.sh && echo "wrote services/console/src/shvya_console/locale/messages.pot"

release-contracts: .venv/.dev-installed ## Record proto/ as released: write contracts/shvya-$(VERSION).binpb (VERSION=x.y.z), then point RELEASED_CONTRACTS at it
	@test -n "$(VERSION)" || { echo "usage: make release-contracts VERSION=x.y.z" >&2; exit 2; }
	@.venv/bin/buf build -o contracts/shvya-$(VERSION).binpb && echo "wrote contracts/shvya-$(VERSION).binpb"

fmt: .venv/.dev-installed ## Format Python code
	@.venv/bin/ruff format .
	@.venv/bin/ruff check --fix .

test: .venv/.dev-installed services ## Run the whole test suite: unit, integration and end-to-end
	@$(PY) -m pytest

test-fast: .venv/.dev-installed services ## Run the tests but skip the end-to-end mesh tests
	@$(PY) -m pytest -m "not e2e"

ai-eval: .venv/.dev-installed services ## Score the AI counsellor on bench/ai_eval (offline; +OpenAI if OPENAI_API_KEY/OPENAI_BASE_URL; GATEWAY=url for a running mesh)
	@$(PY) -m bench.ai_eval $(if $(GATEWAY),--gateway $(GATEWAY)) --check -v

bench: .venv/.dev-installed services ## Measure the speed against a floor (docs/performance.md): table + .run/bench/results.json (~10 min)
	@$(PY) -m bench.perf

bench-smoke: .venv/.dev-installed services ## Run every bench section at toy sizes (checks the harness, ~1 min)
	@$(PY) -m bench.perf --smoke --out .run/bench/smoke.json

bench-faults: .venv/.dev-installed services ## SIGKILL each channel mid-send 100 times over 1,000 sends: repeats per 1,000, lost (docs/channels.md)
	@$(PY) -m bench.faults --out .run/bench/faults.json
