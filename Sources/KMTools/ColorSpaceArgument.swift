import ArgumentParser
import KMCore

/// `--space rgb|lab|oklab`: the names are ColorSpace's cases, and a bad name
/// is a usage error listing them.
extension ColorSpace: ExpressibleByArgument {}
