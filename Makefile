# kmtools: build, demo, test, install.
#   make           the tools to install: the Swift runtime linked in (.build-static/release)
#   make demo      install what is missing, build the same tools, quantize the embedded
#                  default input
#   make test      install what is missing, build, run every test, the docs check, the
#                  Debian package installed and run without the toolchain
#   make test-long the tests again under AddressSanitizer, and 120 s of fuzzing
#                  (CI runs it after make test)
#   sudo make install PREFIX=/usr/local      (after make or make demo: install builds nothing)
#   make deb       kmtools_VERSION_ARCH.deb, for any Debian 12 without Swift
PREFIX ?= /usr/local
# zsh looks in site-functions under /usr/local; Debian's packages use vendor-completions.
ZSHDIR ?= $(PREFIX)/share/zsh/site-functions
DOCDIR ?= $(PREFIX)/share/doc/kmtools
SWIFT ?= swift
TOOLS = kmfit kmmap kmcost kmplot kmquant kmhist
BIN = .build/release
# What make install and make deb ship: the tools with the Swift runtime in them
# (--static-swift-stdlib), no RUNPATH, built in their own scratch path (the static
# runtime is compiled against, not only linked: a separate build from the tests').
STATIC = .build-static/release
K ?= 16

.PHONY: all deps test-deps build static demo test test-long deb deb-check sanitize tsan fuzz fuzz-smoke docs install uninstall clean

all: static

deps:
	scripts/install-deps

# The video tests also need ffmpeg, GNU parallel, and rsync and an sshd for parallel -S;
# the package check dpkg-dev (dpkg-shlibdeps) and lintian; the completion tests fish; the alpha palette
# tests pngquant, the anchor they are measured against.
test-deps:
	scripts/install-deps ffmpeg parallel rsync openssh-client openssh-server dpkg-dev fish pngquant lintian

build: deps
	$(SWIFT) build -c release

static: deps
	$(SWIFT) build -c release --static-swift-stdlib --disable-local-rpath --scratch-path .build-static

# The embedded default input: a planet drawn by netpbm's ppmforge from a fixed seed.
demo/input.ppm: | deps
	mkdir -p demo
	ppmforge -seed 11 -width 320 -height 240 -hour 10 -inclination 20 > $@.tmp 2>/dev/null
	mv $@.tmp $@

# The demo runs the tools make install installs, so demo then install is one build.
demo: static demo/input.ppm
	$(STATIC)/kmfit -k $(K) -v -o demo/palette.ppm demo/input.ppm
	$(STATIC)/kmmap -o demo/quantized.ppm demo/palette.ppm demo/input.ppm
	pamcat -leftright demo/input.ppm demo/quantized.ppm | pnmtopng > demo/compare.png.tmp
	mv demo/compare.png.tmp demo/compare.png
	$(STATIC)/kmcost demo/palette.ppm demo/input.ppm
	KMTOOLS_BIN=$(STATIC) scripts/make-figures demo
	@echo "demo: wrote demo/palette.ppm, demo/quantized.ppm, demo/compare.png and kmplot's pictures:"
	@echo "demo: demo/cube.png cube-palette.png swatch.png runs.png elbow.png dither.png"

# Release tests (the README's recipes among them), stale docs, the package. Under
# 10 minutes on 2 cores from a fresh clone; the slow checks are in test-long.
test: build test-deps
	$(SWIFT) test -c release --disable-swift-testing
	scripts/generate-docs --check
	$(MAKE) deb-check

# The whole suite under AddressSanitizer and 120 s of libFuzzer (make fuzz runs 600):
# about 10 minutes on 2 cores.
test-long:
	$(MAKE) sanitize
	$(MAKE) fuzz FUZZ_SECONDS=120

# The Debian package: binaries, man pages and completions in Debian's places, Depends
# from what the binaries link (dpkg-shlibdeps). deb-check installs it (as root; else
# unpacks it) and runs the tools with the Swift toolchain hidden (scripts/check-deb).
deb: static
	scripts/install-deps dpkg-dev
	scripts/make-deb

deb-check: deb
	scripts/check-deb

# The whole suite, tools included, built optimized with AddressSanitizer: every memory
# access of the hot loops is still checked, in 4 minutes of tests instead of 30 for a debug
# build. Leak reports are off: the XCTest runner and libnetpbm's error paths leak small
# amounts that are not ours.
sanitize: deps test-deps
	KMTOOLS_SANITIZER=address ASAN_OPTIONS=detect_leaks=0 \
	    $(SWIFT) test -c release --sanitize=address --scratch-path .build-asan --disable-swift-testing

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
	    $(DESTDIR)$(DOCDIR)/examples \
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
	install -m 644 README.md LICENSE docs/manual.md $(DESTDIR)$(DOCDIR)/
	install -m 644 examples/Makefile $(DESTDIR)$(DOCDIR)/examples/Makefile
	install -m 755 examples/scenes $(DESTDIR)$(DOCDIR)/examples/scenes

uninstall:
	for t in $(TOOLS); do \
	    rm -f $(DESTDIR)$(PREFIX)/bin/$$t $(DESTDIR)$(PREFIX)/share/man/man1/$$t.1 \
	        $(DESTDIR)$(PREFIX)/share/bash-completion/completions/$$t \
	        $(DESTDIR)$(ZSHDIR)/_$$t \
	        $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/$$t.fish; \
	done
	rm -rf $(DESTDIR)$(DOCDIR)

clean:
	rm -rf .build .build-static .build-asan .build-tsan .build-fuzz demo kmtools_*.deb
