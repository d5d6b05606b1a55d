# One command per job. `make test` is what CI runs (.ci/run); `make demo` shows the product.
SHELL := /bin/bash

.PHONY: all setup build test demo bench clean

all: build

## Install what is needed (Debian packages, wasm32 target, wasm-bindgen-cli, wasm-pack, npm tools).
setup:
	@scripts/setup.sh

## Build the npm package into pkg/ (prints the .wasm size raw and gzipped).
build: setup
	@scripts/build.sh

## Run every test: lints, Rust, wasm in Node and Chromium, Node package tests, browser tests.
test: build
	@scripts/test.sh

## Build, start Redis and the local gateway, serve the console, perform a real signed flush.
demo: build
	@node demo/demo.mjs

## Measure speed and size against references in the same process (see bench/RESULTS.md).
bench: build
	@cargo build --quiet -p ncloud-gateway --profile gateway-release
	@NCLOUD_GATEWAY_BIN=target/gateway-release/ncloud-gateway node bench/bench.mjs

clean:
	rm -rf pkg target/bindgen
