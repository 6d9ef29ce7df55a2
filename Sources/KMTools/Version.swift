/// The version of every kmtools tool, and of the Debian package `make deb`
/// builds (scripts/make-deb reads it from `kmfit --version`): the one place it is defined.
public let kmtoolsVersion = "0.9.0"

/// What `tool --version` prints, as GNU and netpbm tools do: the tool's name, a space, the version ("kmfit 0.9.0").
public func versionLine(_ tool: String) -> String { "\(tool) \(kmtoolsVersion)" }
