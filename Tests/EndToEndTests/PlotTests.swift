import Foundation
import KMCore
import KMPlot
import XCTest

/// kmplot's pictures: byte for byte against the pictures under Tests/golden, and their geometry.
final class PlotTests: EndToEndCase {
    static let golden = Tools.packageRoot.appendingPathComponent("Tests/golden")

    func testPicturesMatchTheGoldenOnes() throws {
        let g = Self.golden.path
        let cases = [
            ("cube.ppm", "kmplot cube --size 128 '\(g)/eight.ppm'"),
            ("cube-palette.ppm", "kmplot cube --size 128 --palette '\(g)/three.ppm' '\(g)/eight.ppm'"),
            ("swatch.ppm", "kmplot swatch --cell 16 --image '\(g)/eight.ppm' '\(g)/three.ppm'"),
            ("runs.ppm", "kmplot runs '\(g)/runs.tsv'"),
            ("elbow.ppm", "cat '\(g)/elbow.txt' | kmplot elbow"),
            ("compare.ppm", "kmplot compare --label a --label b '\(g)/eight.ppm' '\(g)/three.ppm'"),
        ]
        for (name, command) in cases {
            let got = try ok(command).stdout
            let expected = try Data(contentsOf: Self.golden.appendingPathComponent(name))
            XCTAssertEqual(got, expected, "\(command) differs from Tests/golden/\(name)")
        }
    }

    /// The pixels of `image` equal to `rgb`, as (x, y).
    func find(_ rgb: [Int], in image: PNM) -> [(Int, Int)] {
        (0..<image.pixelCount).filter { image.rgb($0) == rgb }.map { ($0 % image.width, $0 / image.width) }
    }

    func testPureColoursLandOnTheirCorners() throws {
        let view = CubeView(size: 200)
        for (rgb, corner) in [([255, 0, 0], SIMD3<Double>(1, 0, 0)), ([0, 255, 0], SIMD3(0, 1, 0)),
                              ([0, 0, 255], SIMD3(0, 0, 1)), ([255, 255, 0], SIMD3(1, 1, 0))] {
            try write("one.ppm", PNM.ppm(width: 1, height: 1, pixels: [rgb]))
            try ok("kmplot cube --size 200 one.ppm > c.ppm")
            let dots = find(rgb, in: try image("c.ppm"))
            XCTAssertFalse(dots.isEmpty, "\(rgb) not drawn")
            let mx = Double(dots.map(\.0).reduce(0, +)) / Double(dots.count)
            let my = Double(dots.map(\.1).reduce(0, +)) / Double(dots.count)
            let p = view.project(corner)
            XCTAssertEqual(mx, p.x, accuracy: 1.5, "\(rgb)")
            XCTAssertEqual(my, p.y, accuracy: 1.5, "\(rgb)")
        }
    }

    func testPaletteColoursThePoints() throws {
        try ok("ppmmake rgb:f0/10/10 4 4 > reddish.ppm && ppmmake rgb:ff/00/00 1 1 > red.ppm")
        try ok("kmplot cube --size 160 --palette red.ppm reddish.ppm > c.ppm")
        let picture = try image("c.ppm")
        XCTAssertTrue(find([240, 16, 16], in: picture).isEmpty, "points should take the palette's colour")
        XCTAssertFalse(find([255, 0, 0], in: picture).isEmpty)
    }

    func testReportFeedsTheRunsPlot() throws {
        try makePlanet("x.ppm", width: 60, height: 40, seed: 30)
        try ok("kmfit -k 4 -r 5 --report r.tsv x.ppm > p.ppm")
        let lines = splitLines(String(decoding: try read("r.tsv"), as: UTF8.self))
        XCTAssertEqual(lines.first, "restart\titerations\tJ")
        XCTAssertEqual(lines.count, 6)
        XCTAssertEqual(lines.dropFirst().map { $0.split(separator: "\t").first.map(String.init) }, ["1", "2", "3", "4", "5"])
        try ok("kmplot runs r.tsv > runs.ppm")
        XCTAssertEqual(try image("runs.ppm").width, 640)
        let empty = try sh("printf 'restart\\titerations\\tJ\\n' | kmplot runs")
        XCTAssertEqual(empty.status, 1)
        XCTAssertEqual(empty.errorLines, ["kmplot: no runs in the report"])
    }
}
