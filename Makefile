# kq: build, test and release tasks. `make test` is what CI runs (.ci/run).
GO        ?= go
PKG       := github.com/kqhq/kq
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT    ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo none)
DATE      ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS   := -s -w -X $(PKG)/cmd/kq/internal/build.Version=$(VERSION) \
             -X $(PKG)/cmd/kq/internal/build.Commit=$(COMMIT) \
             -X $(PKG)/cmd/kq/internal/build.Date=$(DATE)
UNIT_PKGS  = $(shell $(GO) list ./... | grep -v '^$(PKG)/test/')

.PHONY: all build test test-deps test-unit test-integration lint generate check-generated goreleaser-check fuzz bench soak faults clean

all: build

## build: the kq binary in ./kq
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o kq ./cmd/kq

## test: every test: unit (race detector on), integration and client compatibility
test: test-deps test-unit test-integration

## test-deps: ZooKeeper, kcat, tmux, confluent-kafka-python and npm for the integration tests (apt, when missing), kafkajs (npm ci, when missing)
TXN_JS := test/compat/testdata/txn
test-deps:
	@missing=""; \
	dpkg -s zookeeper >/dev/null 2>&1 || missing="$$missing zookeeper"; \
	command -v kcat >/dev/null 2>&1 || missing="$$missing kcat"; \
	command -v tmux >/dev/null 2>&1 || missing="$$missing tmux"; \
	dpkg -s python3-confluent-kafka >/dev/null 2>&1 || missing="$$missing python3-confluent-kafka"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing" >&2; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
	@[ -f $(TXN_JS)/node_modules/kafkajs/package.json ] || (cd $(TXN_JS) && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

test-unit:
	$(GO) test -race -count=1 -timeout 10m $(UNIT_PKGS)

test-integration:
	$(GO) test -count=1 -timeout 10m ./test/...

## lint: formatting and vet
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

## generate: man pages and shell completions from the command tree
generate:
	rm -rf man completions
	$(GO) run ./cmd/kq gendocs --man-dir man --completion-dir completions

## check-generated: fail when man/ or completions/ are not current
check-generated: generate
	@git diff --exit-code --stat -- man completions || { echo "man/ or completions/ are stale: run make generate and commit" >&2; exit 1; }
	@test -z "$$(git status --porcelain -- man completions)" || { echo "untracked generated files: run make generate and commit" >&2; git status --porcelain -- man completions >&2; exit 1; }

## goreleaser-check: validate goreleaser.yaml (installs goreleaser v2.14.0; slow)
goreleaser-check:
	command -v goreleaser >/dev/null 2>&1 || $(GO) install github.com/goreleaser/goreleaser/v2@v2.14.0
	PATH="$$PATH:$$($(GO) env GOPATH)/bin" goreleaser check

## faults: the fault scenarios (SIGKILL, restart at once, freeze, ZooKeeper outage, a 3-node ZooKeeper ensemble losing members and its quorum, links cut, blackholed and flapping through fault proxies: leader, follower, controller, client; a full log dir, stalled fsyncs) with the long schedules, and each one's verdict from test/checker (docs/faults.md); make test runs them too, test/faults in its short form
FAULTS := TestFaultInjection|TestFastRestartAfterKill|TestZooKeeperOutage|TestZooKeeperEnsemble|TestLeaderCut
faults: test-deps
	@KQ_FAULTS_FULL=1 $(GO) test -count=1 -timeout 20m -v -run '$(FAULTS)' ./test/replication > .faults.log 2>&1; s1=$$?; \
	KQ_FAULTS_FULL=1 $(GO) test -count=1 -timeout 20m -v ./test/faults >> .faults.log 2>&1; s2=$$?; \
	$(GO) test -count=1 -timeout 15m -v ./test/diskfaults >> .faults.log 2>&1; s3=$$?; \
	grep -E '^--- |checker: |fault injection:|unavailable \(longest|longest gap|ZooKeeper .*(killed|restarted)|controller watch:' .faults.log | sed -E 's/^ +[a-z_]+_test\.go:[0-9]+: //; s/^ +//' | awk '!/checker: scenario/ || !seen++'; \
	[ $$s1 = 0 ] && [ $$s2 = 0 ] && [ $$s3 = 0 ] || tail -80 .faults.log; rm -f .faults.log; [ $$s1 = 0 ] && [ $$s2 = 0 ] && [ $$s3 = 0 ]

## fuzz: a short run of every fuzz target
fuzz:
	@for pkg in $$($(GO) list ./...); do \
		for t in $$($(GO) test -list 'Fuzz.*' $$pkg 2>/dev/null | grep '^Fuzz'); do \
			echo "fuzz $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime 20s $$pkg || exit 1; \
		done; \
	done

## bench: the storage and network benchmarks, then kq against kfake on loopback (bench/, its own module); writes docs/performance.md
BENCH_MB     ?= 100
BENCH_ROUNDS ?= 3
BENCH_TMP    := $(CURDIR)/.bench-tmp
bench:
	mkdir -p $(BENCH_TMP)
	$(GO) test -run '^$$' -bench . -benchmem ./store/... ./daemon/... > $(BENCH_TMP)/gobench.txt || { cat $(BENCH_TMP)/gobench.txt; exit 1; }
	cat $(BENCH_TMP)/gobench.txt
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BENCH_TMP)/kq ./cmd/kq
	cd bench && $(GO) build -o $(BENCH_TMP)/kfakebroker ./cmd/kfakebroker && $(GO) build -o $(BENCH_TMP)/bench .
	$(BENCH_TMP)/bench -kq $(BENCH_TMP)/kq -kfake $(BENCH_TMP)/kfakebroker -rounds $(BENCH_ROUNDS) -mb $(BENCH_MB) \
		-gobench $(BENCH_TMP)/gobench.txt -out docs/performance.md
	rm -rf $(BENCH_TMP)

## soak: kq alone under sustained produce (SOAK, default 10m); writes docs/soak.md, its live heap each minute
SOAK     ?= 10m
SOAK_TMP := $(CURDIR)/.soak-tmp
soak:
	mkdir -p $(SOAK_TMP)
	CGO_ENABLED=0 $(GO) build -trimpath -o $(SOAK_TMP)/kq ./cmd/kq
	cd bench && $(GO) build -o $(SOAK_TMP)/bench .
	$(SOAK_TMP)/bench -kq $(SOAK_TMP)/kq -soak $(SOAK) -out docs/soak.md
	rm -rf $(SOAK_TMP)

clean:
	rm -rf kq dist .bench-tmp .soak-tmp

## screenshots: the README's pictures of kq tui, docs/screenshots/*.svg, taken on a live 3-broker cluster (needs tmux)
.PHONY: screenshots
screenshots:
	KQ_TUI_SCREENSHOT_DIR=$(CURDIR)/docs/screenshots $(GO) test -count=1 -timeout 5m -run '^TestScreenshots$$' ./test/tui
