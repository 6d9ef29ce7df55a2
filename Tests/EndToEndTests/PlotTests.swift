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
        let runs = try image("runs.ppm")
        XCTAssertEqual(runs.width, 640)
        // Both marks' labels are drawn: their colours appear away from their discs.
        for (name, rgb) in [("worst", [200, 30, 30]), ("best", [20, 150, 40])] {
            let pixels = find(rgb, in: runs)
            XCTAssertGreaterThan(Set(pixels.map(\.0)).count, 60, "no \(name) label")
        }
        let empty = try sh("printf 'restart\\titerations\\tJ\\n' | kmplot runs")
        XCTAssertEqual(empty.status, 1)
        XCTAssertEqual(empty.errorLines, ["kmplot: no runs in the report"])
    }

    /// Labels stay in their own column: in the rows under the swatches, the gaps
    /// between columns are white (before, "#0c0c0c" ran over its neighbour).
    func testSwatchLabelsDoNotReachTheNextSwatch() throws {
        try ok("ppmmake rgb:00/00/00 1 1 > a.ppm && ppmmake rgb:0c/0c/0c 1 1 > b.ppm && ppmmake rgb:dd/dd/dd 1 1 > c.ppm")
        try ok("pamcat -leftright a.ppm b.ppm c.ppm > pal.ppm && ppmmake rgb:00/00/00 2 1 > img.ppm")
        for cell in [16, 48, 64] {
            try ok("kmplot swatch --cell \(cell) --image img.ppm pal.ppm > s.ppm")
            let picture = try image("s.ppm")
            let grid = SwatchGrid(labels: [["#000000", "100.0%"], ["#0c0c0c", "0.0%"], ["#dddddd", "0.0%"]], columns: 3, cell: cell)
            XCTAssertEqual(picture.width, grid.width, "cell \(cell)")
            let inked = (0..<picture.pixelCount).filter { picture.rgb($0) != [255, 255, 255] }
            var labelColumns = Set<Int>()
            for p in inked where p / picture.width > cell + 8 { labelColumns.insert(p % picture.width) }
            XCTAssertFalse(labelColumns.isEmpty, "cell \(cell): no labels drawn")
            for column in 0..<2 {
                let gapStart = grid.origin(column).x + grid.columnWidth
                let gap = Set(gapStart..<grid.origin(column + 1).x)
                XCTAssertTrue(labelColumns.isDisjoint(with: gap), "cell \(cell): a label of column \(column + 1) runs into the gap")
            }
        }
    }
}
