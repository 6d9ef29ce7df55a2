// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "kmtools",
    products: [
        .executable(name: "kmfit", targets: ["kmfit"]),
        .executable(name: "kmmap", targets: ["kmmap"]),
        .executable(name: "kmcost", targets: ["kmcost"]),
        .executable(name: "kmplot", targets: ["kmplot"]),
        .executable(name: "kmquant", targets: ["kmquant"]),
        .executable(name: "kmhist", targets: ["kmhist"]),
        .library(name: "KMCore", targets: ["KMCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Debian's libnetpbm, seen through pkg-config.
        .systemLibrary(
            name: "CNetpbm",
            pkgConfig: "netpbm",
            providers: [.apt(["libnetpbm-dev"])]
        ),
        // C trampolines: setjmp-guarded libnetpbm calls, stdio accessors, constants.
        .target(name: "CNetpbmShim", dependencies: ["CNetpbm"]),
        // The domain: colours, histogram, palette, k-means, nearest colour, cost. No I/O.
        .target(name: "KMCore"),
        // PNM streams through libnetpbm, atomic output files, the tools' shared plumbing.
        .target(
            name: "KMTools",
            dependencies: [
                "KMCore", "CNetpbmShim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "kmfit", dependencies: ["KMTools"]),
        .executableTarget(name: "kmmap", dependencies: ["KMTools"]),
        .executableTarget(name: "kmcost", dependencies: ["KMTools"]),
        // kmfit then kmmap in one step, the input read once (a regular file twice).
        .executableTarget(name: "kmquant", dependencies: ["KMTools"]),
        // The colours of a stream counted into a histogram file, or histogram files added.
        .executableTarget(name: "kmhist", dependencies: ["KMTools"]),
        // kmplot's drawing calls: libnetpbm's ppmdraw under the shim's setjmp guard (km_guard.h).
        .target(name: "CKMPlot", dependencies: ["CNetpbmShim"]),
        // kmplot's pictures: the cube's projection, chart axes, the canvas, the drawings.
        .target(name: "KMPlot", dependencies: ["KMCore", "KMTools", "CKMPlot", "CNetpbmShim"]),
        .executableTarget(name: "kmplot", dependencies: ["KMTools", "KMPlot"]),
        .testTarget(name: "KMCoreTests", dependencies: ["KMCore"]),
        .testTarget(name: "KMPlotTests", dependencies: ["KMPlot"]),
        .testTarget(name: "KMToolsTests", dependencies: ["KMTools", "KMCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "EndToEndTests", dependencies: ["KMCore", "KMPlot"]),
    ]
)
