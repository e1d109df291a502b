# The lab's commands. `make` alone lists them. Each is a thin wrapper over docker compose.
SHELL := /bin/bash
.DEFAULT_GOAL := help

COMPOSE := docker compose
# Compose reads .env.example first, then .env: the defaults are written once, in .env.example.
export COMPOSE_ENV_FILES := .env.example,.env
# certs/ is written by a container; make it yours, not root's.
export LAB_UID := $(shell id -u)
export LAB_GID := $(shell id -g)
# Images are built by scripts/build-images.sh (see why there); compose only runs them.
export COMPOSE_BAKE := false

.PHONY: help env build certs up down logs test test-backend test-e2e trust clean bench bench-ceiling hosts untrust dev dev-layout dev-messages lint-scripts test-scripts screenshots test-engines test-exact engines-doc test-fuzz test-faults test-fuzz-throwaway test-faults-throwaway transcript docs-from-run doctor

help: ## List the commands
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

env: ## Write .env with fresh secrets if it is missing (never overwrites); refuse ports browsers block
	@scripts/make-env.sh
	@scripts/check-ports.sh

build: env ## Build the images (the e2e one too: make build E2E=1)
	@scripts/build-images.sh $(if $(E2E),--with-e2e)

certs: build ## Create the lab CA and the hosts' certificate in certs/ if missing
	@mkdir -p certs
	@scripts/compose-run.sh --no-deps certs

up: certs ## Build and start the lab, wait until healthy, print the URLs
	@$(COMPOSE) up -d --no-build proxy backend
	@scripts/wait-healthy.sh
	@scripts/check-host.sh
	@scripts/print-urls.sh

down: ## Stop the lab (the database volume and certs/ are kept)
	@$(COMPOSE) --profile test down
	@# make test's throwaway labs, had a run been interrupted.
	@for name in settings exact fuzz faults; do COMPOSE_PROJECT_NAME="$$(. scripts/lab-env.sh && lab_env COMPOSE_PROJECT_NAME cors-django-lab)-$$name" $(COMPOSE) --profile test down --volumes --remove-orphans >/dev/null 2>&1 || true; done

logs: ## Follow the logs of all services
	@$(COMPOSE) logs -f --tail=100

test: ## Run every test side by side: scripts, unit tests, the browser suite, API fuzzing and faults
	@# The images (the e2e one too), .env and the CA first, alone: every part below uses them.
	@$(MAKE) --no-print-directory certs E2E=1
	@# Each part prints its output when it ends. The fuzzing (it trips the login throttle) and the
	@# faults (they crash the backend) each get a throwaway lab of their own, so they run beside
	@# the browser suite instead of after it, and start while your lab comes up. The unit tests
	@# wait for your lab (make runs `up` once): they use its compose project, and two compose
	@# commands at once would each create its network.
	@$(MAKE) --no-print-directory -j5 --output-sync=target BACKEND_NEEDS=up test-scripts test-backend test-e2e test-fuzz-throwaway test-faults-throwaway

# make test's way to run them: on a throwaway lab (scripts/throwaway-lab.sh NAME PORT-OFFSET).
test-fuzz-throwaway:
	@scripts/throwaway-lab.sh fuzz 20000 $(MAKE) --no-print-directory test-fuzz
test-faults-throwaway:
	@scripts/throwaway-lab.sh faults 15000 $(MAKE) --no-print-directory test-faults

# What test-backend needs first: the images, and in make test the lab up (see there).
BACKEND_NEEDS ?= build
# The backend's root filesystem is read-only: hypothesis keeps its examples on the /tmp tmpfs.
test-backend: $(BACKEND_NEEDS) ## Django unit tests and check --deploy, inside the backend image, with .env.example's values
	@scripts/compose-run.sh --no-deps --entrypoint bash -v "$(CURDIR)/.env.example:/app/.env.example:ro" \
	  -v "$(CURDIR)/docs/hardening.md:/app/docs/hardening.md:ro" \
	  -e DJANGO_SETTINGS_MODULE=config.settings_test -e HYPOTHESIS_STORAGE_DIRECTORY=/tmp/hypothesis backend \
	  -c 'python3 manage.py check --deploy --fail-level WARNING && python3 manage.py test --noinput -v 1'

test-e2e: up ## The Playwright suite in Chromium against the running lab, every backend setting (ARGS="-k attack" for pytest)
	@scripts/build-images.sh --with-e2e
	@scripts/run-e2e.sh $(ARGS)

screenshots: up ## Retake the Japanese docs' screenshots (docs/ja/*.png) in the e2e Chromium, locale ja-JP
	@scripts/build-images.sh --with-e2e
	@LAB_SCREENSHOTS=1 scripts/run-e2e.sh -k test_japanese_screenshots_for_the_readme
	@mkdir -p docs/ja && cp e2e/test-results/screenshots/ja/*.png docs/ja/ && ls -l docs/ja

test-engines: up ## Only the cross-engine tests: Chromium, Firefox and WebKit (make test runs them too)
	@scripts/build-images.sh --with-e2e
	@LAB_E2E_ENGINES_ONLY=1 scripts/run-e2e.sh $(ARGS)

# NAMES: your own front and API (attacker= and sibling= too, if you like); without it, the sets
# make test runs. Nothing of it leaves the test container: docs/exact-hostnames.md.
test-exact: build ## Three engines on real names: NAMES="front=kikuichige.com api=django6.kikuichige.com"; tables in exact-results/
	@scripts/build-images.sh --with-e2e
	@LAB_EXACT_NAMES="$(NAMES)" scripts/throwaway-lab.sh exact 13000 scripts/exact-run.sh $(if $(NAMES),yours,article private-suffix)
	@python3 scripts/engines-doc.py --exact-results $(if $(NAMES),yours,article private-suffix)

engines-doc: ## Write docs/engines.md (and docs/ja/), frontend/engines.json from the last make test's engine reports
	@python3 scripts/engines-doc.py

transcript: ## Run make up and make test, keep their output in logs/, then rewrite the README's transcript and the docs' figures from it
	@scripts/record-run.sh make-up $(MAKE) --no-print-directory up
	@scripts/record-run.sh make-test $(MAKE) --no-print-directory test
	@$(MAKE) --no-print-directory engines-doc docs-from-run

docs-from-run: ## Rewrite the generated blocks of README*.md and docs/ from the logs in logs/ (make transcript, make bench)
	@python3 scripts/docs-from-run.py

test-fuzz: up ## schemathesis against /api/openapi.json of the running lab (it trips the login throttle: make test gives it a throwaway lab)
	@scripts/build-images.sh --with-e2e
	@scripts/fuzz-api.sh

test-faults: up ## Crash the backend under load, write from every worker at once, down/up/clean a throwaway lab (host python3)
	@scripts/test-faults.sh

# The doctor runs in the backend image, as you, with the checkout read-only (FILE: a path in it);
# no network unless --probe asks for one (the host's, so that the lab on 127.0.0.1 is reachable),
# and a terminal only when there is one (the probe asks for a password without CORS_DOCTOR_PASSWORD).
# The build's lines go to stderr: --json prints only the report. Exit status 1: a flow breaks.
doctor: ## Will your front's calls to your Django API work? ARGS="--front URL --api URL [--settings FILE] [--probe] [--json] [--lang ja]" (docs/doctor.md)
	@$(MAKE) --no-print-directory build >&2
	@docker run --rm $$([ -t 0 ] && echo --interactive --tty) $(if $(findstring --probe,$(ARGS)),--network host,--network none) \
	  --read-only --cap-drop ALL --security-opt no-new-privileges --user "$(LAB_UID):$(LAB_GID)" \
	  -v "$(CURDIR):/checkout:ro" -w /checkout -e PYTHONPATH=/app -e CORS_DOCTOR_PASSWORD --entrypoint python3 \
	  "cors-django-lab/backend:$$(. scripts/lab-env.sh && lab_env LAB_IMAGE_TAG latest)" -m cors_doctor $(ARGS)

trust: ## Trust certs/ca.pem on this machine (mkcert if installed, else printed steps)
	@scripts/trust-ca.sh

untrust: ## Remove what `make trust` added (run it before `make clean CA=1`)
	@scripts/untrust-ca.sh

hosts: ## Print /etc/hosts lines for the lab's names (Safari needs them; Chrome, Edge, Firefox do not)
	@scripts/print-hosts.sh

clean: ## Stop and delete the database volume; `make clean CA=1` also deletes certs/
	@$(COMPOSE) --profile test down --volumes --remove-orphans
	@if [ "$(CA)" = 1 ]; then rm -rf certs && echo "Deleted certs/ (if you trusted that CA, remove it: run make untrust before make clean CA=1)."; fi

bench: up ## Load the running lab with wrk: req/s, p50, p99 per endpoint, memory (under 2 minutes)
	@scripts/build-images.sh --with-e2e
	@scripts/record-run.sh make-bench python3 scripts/bench.py

bench-ceiling: up ## The simple GET beside a WSGI app with no Django and Django with no middleware (recreates the backend 3 times)
	@scripts/build-images.sh --with-e2e
	@scripts/record-run.sh make-bench-ceiling python3 scripts/bench-ceiling.py

dev: certs dev-messages ## Like up, but the backend runs ./backend live and reloads on every code change
	@$(COMPOSE) -f compose.yaml -f compose.dev.yaml up -d --no-build proxy backend
	@scripts/wait-healthy.sh
	@scripts/check-host.sh
	@scripts/print-urls.sh
	@echo "Dev mode: edits under backend/ apply on the next request. 'make up' goes back to the image's code."

dev-layout: certs ## Like up, plus the dev layout: the front and the API on two http ports of one host (make up goes back)
	@$(COMPOSE) -f compose.yaml -f compose.dev-layout.yaml up -d --no-build proxy backend
	@scripts/wait-healthy.sh
	@scripts/check-host.sh
	@scripts/print-urls.sh
	@$(COMPOSE) exec -T proxy cat /run/nginx/lab-config.json | sed -n \
	  's|.*"dev_front": "\([^"]*\)", "dev_api": "\([^"]*\)".*|The dev layout (plain http): the front \1/mistakes.html#dev-layout, the API \2/api/hello/. make up goes back.|p'

# Not listed: part of `make dev`. ./backend, mounted over the image's copy, lacks the compiled
# Japanese catalogue (*.mo is git-ignored, the image build makes it): compile it there, as you,
# or the API answers in English. LAB_DEV_BACKEND_DIR: see compose.dev.yaml.
dev-messages:
	@scripts/compose-run.sh --no-deps --user "$(LAB_UID):$(LAB_GID)" --entrypoint django-admin \
	  -v "$(or $(LAB_DEV_BACKEND_DIR),$(CURDIR)/backend):/app" backend compilemessages --locale ja

lint-scripts: ## shellcheck (POSIX mode) and dash -n on the scripts
	@scripts/lint-scripts.sh

test-scripts: ## Lint and test the scripts, and make dev on a throwaway backend (no running lab needed); ends with "scripts: N passed, M failed"
	@scripts/tests/run.sh
