# kmtools: build, demo, test, install.
#   make           the tools to install: the Swift runtime linked in (.build-static/release)
#   make demo      install what is missing, build, quantize the embedded default input
#   make test      install what is missing, build, run every test, the docs check, the
#                  Debian package installed and run without the toolchain, the tests
#                  under AddressSanitizer and 30 s of fuzzing
#   sudo make install PREFIX=/usr/local      (after make: install builds nothing)
#   make deb       kmtools_VERSION_ARCH.deb, for any Debian 12 without Swift
PREFIX ?= /usr/local
# zsh looks in site-functions under /usr/local; Debian's packages use vendor-completions.
ZSHDIR ?= $(PREFIX)/share/zsh/site-functions
SWIFT ?= swift
TOOLS = kmfit kmmap kmcost kmplot kmquant
BIN = .build/release
# What make install and make deb ship: the tools with the Swift runtime in them
# (--static-swift-stdlib), no RUNPATH, built in their own scratch path (the static
# runtime is compiled against, not only linked: a separate build from the tests').
STATIC = .build-static/release
K ?= 16

.PHONY: all deps test-deps build static demo test deb deb-check sanitize tsan fuzz fuzz-smoke docs install uninstall clean

all: static

deps:
	scripts/install-deps

# The video tests also need ffmpeg, GNU parallel, and rsync and an sshd for parallel -S;
# the package check dpkg-dev (dpkg-shlibdeps); the completion tests fish; the alpha palette
# tests pngquant, the anchor they are measured against.
test-deps:
	scripts/install-deps ffmpeg parallel rsync openssh-client openssh-server dpkg-dev fish pngquant

build: deps
	$(SWIFT) build -c release

static: deps
	$(SWIFT) build -c release --static-swift-stdlib --disable-local-rpath --scratch-path .build-static

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
	$(MAKE) deb-check sanitize fuzz-smoke

# The Debian package: binaries, man pages and completions in Debian's places, Depends
# from what the binaries link (dpkg-shlibdeps). deb-check installs it (as root; else
# unpacks it) and runs the tools with the Swift toolchain hidden (scripts/check-deb).
deb: static
	scripts/install-deps dpkg-dev
	scripts/make-deb

deb-check: deb
	scripts/check-deb

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

# Installs what make built; it builds nothing, so that sudo make install leaves no
# root-owned files in the tree.
install:
	@for t in $(TOOLS); do [ -x $(STATIC)/$$t ] || { echo "make install: $(STATIC)/$$t is missing: run make first (not as root)" >&2; exit 1; }; done
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	    $(DESTDIR)$(ZSHDIR) \
	    $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	for t in $(TOOLS); do \
	    install -m 755 -s $(STATIC)/$$t $(DESTDIR)$(PREFIX)/bin/$$t; \
	    install -m 644 man/$$t.1 $(DESTDIR)$(PREFIX)/share/man/man1/$$t.1; \
	    install -m 644 completions/$$t.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/$$t; \
	    install -m 644 completions/_$$t $(DESTDIR)$(ZSHDIR)/_$$t; \
	    install -m 644 completions/$$t.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/$$t.fish; \
	done

uninstall:
	for t in $(TOOLS); do \
	    rm -f $(DESTDIR)$(PREFIX)/bin/$$t $(DESTDIR)$(PREFIX)/share/man/man1/$$t.1 \
	        $(DESTDIR)$(PREFIX)/share/bash-completion/completions/$$t \
	        $(DESTDIR)$(ZSHDIR)/_$$t \
	        $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/$$t.fish; \
	done

clean:
	rm -rf .build .build-static .build-asan .build-tsan .build-fuzz demo kmtools_*.deb
