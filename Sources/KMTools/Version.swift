/// The version of every kmtools tool (`--version`), and of the Debian package
/// `make deb` builds (the Makefile reads it from `kmfit --version`): the one place it is defined.
public let kmtoolsVersion = "0.9.0"
