# otrcm: two commands do all setup on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SERVICES := intake units poc modifiers claims status console
TOOLS := audit
PACKAGES := shared $(addprefix services/,$(SERVICES) $(TOOLS))
STAMP := $(VENV)/.installed
ASYNCAPI_CHECK := deploy/asyncapi-check
ASYNCAPI_STAMP := $(ASYNCAPI_CHECK)/node_modules/.package-lock.json
CONSOLE_CHECK := deploy/console-check
AXE_STAMP := $(CONSOLE_CHECK)/node_modules/.package-lock.json
PYTEST_ARGS ?=

.PHONY: help venv kafka-up kafka-down kafka-cluster-up kafka-cluster-down topics db-up db-down infra-up infra-down lint typecheck \
        test test-unit test-integration test-faults test-faults-cluster schemas docs asyncapi-check browser run up down smoke \
        traces traces-down bench clean prometheus

help: ## list every target with one line
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml shared/pyproject.toml $(addsuffix /pyproject.toml,$(addprefix services/,$(SERVICES) $(TOOLS)))
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]' $(addprefix -e ,$(PACKAGES))
	touch $@

venv: $(STAMP) ## create .venv with every package in editable mode and the dev tools

KAFKA_BROKERS ?= 1
KAFKA_CLUSTER := OTRCM_KAFKA_BROKERS=$(KAFKA_BROKERS) deploy/local/kafka/cluster.sh

kafka-up: $(STAMP) ## start the local Apache Kafka (KRaft) from Maven Central jars; idempotent; KAFKA_BROKERS=3: a three-broker cluster
	@if [ "$(KAFKA_BROKERS)" = 1 ]; then deploy/local/kafka/kafka.sh up; else \
		$(KAFKA_CLUSTER) up && echo "export OTRCM_KAFKA_BOOTSTRAP=$$($(KAFKA_CLUSTER) bootstrap)"; fi

kafka-down: ## stop the Kafka process(es) that kafka-up started (and nothing else); KAFKA_BROKERS=3: the cluster
	@if [ "$(KAFKA_BROKERS)" = 1 ]; then deploy/local/kafka/kafka.sh down; else $(KAFKA_CLUSTER) down; fi

kafka-cluster-up: ## the three-broker KRaft cluster on 9192/9194/9196 (OTRCM_KAFKA_CLUSTER_PORT moves it); = kafka-up KAFKA_BROKERS=3
	$(MAKE) --no-print-directory kafka-up KAFKA_BROKERS=3

kafka-cluster-down: ## stop the three-broker cluster that kafka-cluster-up started
	$(MAKE) --no-print-directory kafka-down KAFKA_BROKERS=3

topics: $(STAMP) ## apply the topic registry (partitions, replication, configs) to the broker, or to the cluster with KAFKA_BROKERS=3; print what it holds
	@if [ "$(KAFKA_BROKERS)" != 1 ]; then export OTRCM_KAFKA_BOOTSTRAP=$$($(KAFKA_CLUSTER) bootstrap); fi; \
		$(BIN)/python -m otrcm_shared.runtime.topic_admin

db-up: ## install (when missing) and start PostgreSQL on 127.0.0.1:5432; create role and database
	deploy/local/postgres/db.sh up

db-down: ## stop PostgreSQL if db-up started it
	deploy/local/postgres/db.sh down

infra-up: kafka-up db-up ## start the broker and the database unless they are already up

infra-down: kafka-down db-down ## stop what infra-up started

lint: $(STAMP) asyncapi-check ## ruff (lint and format check), the import contracts and the AsyncAPI parser check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

$(ASYNCAPI_STAMP): $(ASYNCAPI_CHECK)/package.json $(ASYNCAPI_CHECK)/package-lock.json
	npm ci --prefix $(ASYNCAPI_CHECK) --ignore-scripts --no-audit --no-fund

asyncapi-check: $(ASYNCAPI_STAMP) ## parse every docs/asyncapi/*.json with @asyncapi/parser (npm); fails on any error
	node $(ASYNCAPI_CHECK)/check.mjs

$(AXE_STAMP): $(CONSOLE_CHECK)/package.json $(CONSOLE_CHECK)/package-lock.json
	npm ci --prefix $(CONSOLE_CHECK) --ignore-scripts --no-audit --no-fund

browser: $(AXE_STAMP) ## the console's browser test needs: Debian's chromium and chromium-driver (apt-get when missing), axe-core (npm)
	deploy/local/browser/chromium.sh

typecheck: $(STAMP) ## mypy (strict on shared/ and every domain/)
	$(BIN)/mypy shared/src $(addsuffix /src,$(addprefix services/,$(SERVICES) $(TOOLS)))

prometheus: ## install Debian's prometheus package (prometheus, promtool) when missing: the metrics test and the rules check
	@if command -v prometheus >/dev/null && command -v promtool >/dev/null; then exit 0; fi; \
	echo "installing Debian's prometheus package"; \
	if [ "$$(id -u)" = 0 ]; then root=; else root=sudo; fi; \
	$$root env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	$$root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null

test: $(STAMP) infra-up browser prometheus lint typecheck ## set up everything, then ruff, mypy and all tests
	$(BIN)/pytest $(PYTEST_ARGS)

test-unit: $(STAMP) prometheus ## the fast tier only (no broker, no database server)
	$(BIN)/pytest -m unit $(PYTEST_ARGS)

test-integration: $(STAMP) infra-up browser ## tests against the real Kafka and PostgreSQL
	$(BIN)/pytest -m 'integration or e2e' $(PYTEST_ARGS)

CLUSTER_BOOTSTRAP = OTRCM_KAFKA_CLUSTER_BOOTSTRAP=$$(OTRCM_KAFKA_BROKERS=3 deploy/local/kafka/cluster.sh bootstrap)

test-faults: $(STAMP) infra-up kafka-cluster-up ## the fault suite at full size (kills, broker and database restarts, replay, poison, intruders), then its cluster variant: two tables
	OTRCM_FAULTS_ENCOUNTERS=$${OTRCM_FAULTS_ENCOUNTERS:-3000} OTRCM_FAULTS_FUZZ_EXAMPLES=$${OTRCM_FAULTS_FUZZ_EXAMPLES:-1000} \
		OTRCM_FAULTS_CLUSTER_ENCOUNTERS=$${OTRCM_FAULTS_CLUSTER_ENCOUNTERS:-1500} $(CLUSTER_BOOTSTRAP) \
		$(BIN)/pytest -m faults $(PYTEST_ARGS)

test-faults-cluster: $(STAMP) db-up kafka-cluster-up ## the fault suite on the 3-broker cluster only: leader brokers SIGKILLed and restarted, every service twice and one of each pair killed
	OTRCM_FAULTS_CLUSTER_ENCOUNTERS=$${OTRCM_FAULTS_CLUSTER_ENCOUNTERS:-1500} $(CLUSTER_BOOTSTRAP) \
		$(BIN)/pytest -m faults tests/faults/test_cluster_fault_suite.py $(PYTEST_ARGS)

schemas: $(STAMP) ## regenerate the checked-in JSON Schemas under shared/schemas/
	$(BIN)/python -m otrcm_shared.schemas shared/schemas

docs: $(STAMP) schemas ## regenerate docs/events.md and the AsyncAPI documents under docs/asyncapi/
	$(BIN)/python docs/generate.py

run: $(STAMP) kafka-up ## the main job: the sample Missouri practice through the pipeline, then a report
	$(BIN)/python -m deploy.local.main_job

up: $(STAMP) kafka-up ## keep the six services running with the intake API on 127.0.0.1:8080, and the billing console on :8090
	$(BIN)/python -m deploy.local.supervise up

down: ## stop what `make up` started (the services; the broker stays: make kafka-down)
	$(BIN)/python -m deploy.local.supervise down

smoke: $(STAMP) kafka-up ## start the six services, wait until ready, stop them
	$(BIN)/python -m deploy.local.supervise smoke

TRACES_ARGS ?= --screenshot docs/traces/jaeger-trace.png
traces: $(STAMP) kafka-up ## Jaeger built from its Go module (the first build takes many minutes) up on 4318/16686; a few encounters traced into it; one trace across the five services found through its query API and photographed (chromium); not part of `make test`
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)
	deploy/local/jaeger/jaeger.sh up
	$(BIN)/python -m deploy.local.traces $(TRACES_ARGS)

traces-down: ## stop the Jaeger that `make traces` started
	deploy/local/jaeger/jaeger.sh down

BENCH_ARGS ?=
bench: $(STAMP) kafka-up db-up ## benchmarks at issue 18's sizes (20,000 encounters; 200/s for 60 s; payer mix; the console's worklist over 50,000 held rows, --skip console): one table + var/bench/results.json; shorter: BENCH_ARGS="--encounters 2000 --rate 40 --duration 30 --scale-encounters 600"
	$(BIN)/python tests/bench/run.py --json var/bench/results.json $(BENCH_ARGS)

clean: ## remove generated files (keeps the Kafka jar cache outside the repo)
	rm -rf var .pytest_cache .mypy_cache .ruff_cache .hypothesis
