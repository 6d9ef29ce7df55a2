# kmtools: build, demo, test, install.
#   make demo      install what is missing, build, quantize the embedded default input
#   make test      install what is missing, build, run every test, the docs check, the
#                  tests under AddressSanitizer and 30 s of fuzzing
#   make install PREFIX=/usr/local
PREFIX ?= /usr/local
SWIFT ?= swift
TOOLS = kmfit kmmap kmcost kmplot
BIN = .build/release
K ?= 16

.PHONY: all deps test-deps build demo test sanitize tsan fuzz fuzz-smoke docs install uninstall clean

all: build

deps:
	scripts/install-deps

# The video tests also need ffmpeg, GNU parallel, and rsync and an sshd for parallel -S.
test-deps:
	scripts/install-deps ffmpeg parallel rsync openssh-client openssh-server

build: deps
	$(SWIFT) build -c release

# The embedded default input: a planet drawn by netpbm's ppmforge from a fixed seed.
demo/input.ppm: | deps
	mkdir -p demo
	ppmforge -seed 11 -width 320 -height 240 -hour 10 -inclination 20 > $@.tmp 2>/dev/null
	mv $@.tmp $@

demo: build demo/input.ppm
	$(BIN)/kmfit -k $(K) -v -o demo/palette.ppm demo/input.ppm
	$(BIN)/kmmap -o demo/quantized.ppm demo/palette.ppm demo/input.ppm
	pamcat -leftright demo/input.ppm demo/quantized.ppm | pnmtopng > demo/compare.png.tmp
	mv demo/compare.png.tmp demo/compare.png
	$(BIN)/kmcost demo/palette.ppm demo/input.ppm
	scripts/make-figures demo
	@echo "demo: wrote demo/palette.ppm, demo/quantized.ppm, demo/compare.png and kmplot's pictures:"
	@echo "demo: demo/cube.png cube-palette.png swatch.png runs.png elbow.png dither.png"

# Everything: release tests, stale docs, the tests again under AddressSanitizer, a short fuzz run.
test: build test-deps
	$(SWIFT) test -c release --disable-swift-testing
	scripts/generate-docs --check
	$(MAKE) sanitize fuzz-smoke

# The whole suite, tools included, built with AddressSanitizer. Leak reports are off:
# the XCTest runner and libnetpbm's error paths leak small amounts that are not ours.
sanitize: deps test-deps
	KMTOOLS_SANITIZER=address ASAN_OPTIONS=detect_leaks=0 \
	    $(SWIFT) test --sanitize=address --scratch-path .build-asan --disable-swift-testing

# The same under ThreadSanitizer (not part of `make test`: about 7 minutes more).
tsan: deps
	KMTOOLS_SANITIZER=thread $(SWIFT) test --sanitize=thread --scratch-path .build-tsan --disable-swift-testing

# libFuzzer over the input paths: FUZZ_SECONDS of it (Fuzz/run).
FUZZ_SECONDS ?= 600
fuzz: deps
	Fuzz/build
	Fuzz/run $(FUZZ_SECONDS)

fuzz-smoke: deps
	Fuzz/build
	Fuzz/run 30

# Regenerates man pages and completions from the argument parser.
docs: build
	scripts/generate-docs

install: build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	    $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
	    $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	for t in $(TOOLS); do \
	    install -m 755 $(BIN)/$$t $(DESTDIR)$(PREFIX)/bin/$$t; \
	    install -m 644 man/$$t.1 $(DESTDIR)$(PREFIX)/share/man/man1/$$t.1; \
	    install -m 644 completions/$$t.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/$$t; \
	    install -m 644 completions/_$$t $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_$$t; \
	    install -m 644 completions/$$t.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/$$t.fish; \
	done

uninstall:
	for t in $(TOOLS); do \
	    rm -f $(DESTDIR)$(PREFIX)/bin/$$t $(DESTDIR)$(PREFIX)/share/man/man1/$$t.1 \
	        $(DESTDIR)$(PREFIX)/share/bash-completion/completions/$$t \
	        $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_$$t \
	        $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/$$t.fish; \
	done

clean:
	rm -rf .build .build-asan .build-tsan .build-fuzz demo
