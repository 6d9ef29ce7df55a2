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
            ("cube-lab.ppm", "kmplot cube --size 128 --space lab '\(g)/eight.ppm'"),
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

    /// The mean position of the pixels of `image` equal to `rgb`, nil when there are none.
    func centre(of rgb: [Int], in image: PNM) -> (x: Double, y: Double)? {
        let dots = find(rgb, in: image)
        guard !dots.isEmpty else { return nil }
        return (Double(dots.map(\.0).reduce(0, +)) / Double(dots.count), Double(dots.map(\.1).reduce(0, +)) / Double(dots.count))
    }

    /// --space lab and oklab draw the same colours at their own coordinates:
    /// each dot where CubeView puts it in that space's box, not where the RGB cube has it.
    func testPerceptualSpacesPlaceColoursByTheirCoordinates() throws {
        let colours = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [100, 100, 100]]
        try write("four.ppm", PNM.ppm(width: 4, height: 1, pixels: colours))
        try ok("kmplot cube --size 200 four.ppm > rgb.ppm")
        let rgb = try read("rgb.ppm")
        for space in [ColorSpace.lab, .oklab, .din99] {
            try ok("kmplot cube --size 200 --space \(space) four.ppm > s.ppm")
            let picture = try image("s.ppm")
            XCTAssertEqual([picture.width, picture.height], [200, 200], "\(space)")
            XCTAssertNotEqual(try read("s.ppm"), rgb, "\(space) drew the RGB cube")
            let view = CubeView(size: 200, space: space)
            for c in colours {
                guard let got = centre(of: c, in: picture) else { XCTFail("\(space): \(c) not drawn"); continue }
                let want = view.project(view.place(SIMD3(Double(c[0]), Double(c[1]), Double(c[2])) / 255))
                XCTAssertEqual(got.x, want.x, accuracy: 1.5, "\(space) \(c)")
                XCTAssertEqual(got.y, want.y, accuracy: 1.5, "\(space) \(c)")
            }
            // The grey sits on the lightness axis, the picture's vertical centre line.
            XCTAssertEqual(centre(of: [100, 100, 100], in: picture)?.x ?? 0, 100, accuracy: 1.5, "\(space)")
        }
    }

    /// With a palette, a point takes its nearest palette colour in the space drawn:
    /// dark green is nearer bright green in RGB but nearer light grey in CIELAB.
    func testPaletteIsNearestInTheSpaceDrawn() throws {
        try ok("ppmmake rgb:00/32/00 2 2 > dark.ppm && ppmmake rgb:00/f0/00 1 1 > a.ppm && ppmmake rgb:b4/b4/b4 1 1 > b.ppm")
        try ok("pamcat -leftright a.ppm b.ppm > pal.ppm")
        let dark = SIMD3<Double>(0, 50, 0) / 255
        for (space, shown, other) in [(ColorSpace.rgb, [0, 240, 0], [180, 180, 180]), (.lab, [180, 180, 180], [0, 240, 0])] {
            try ok("kmplot cube --size 200 --space \(space) --palette pal.ppm dark.ppm > c.ppm")
            let picture = try image("c.ppm")
            let view = CubeView(size: 200, space: space), p = view.project(view.place(dark))
            func near(_ rgb: [Int]) -> Bool { find(rgb, in: picture).contains { abs(Double($0.0) - p.x) <= 2 && abs(Double($0.1) - p.y) <= 2 } }
            XCTAssertTrue(near(shown), "\(space): the dark green point should be drawn in \(shown)")
            XCTAssertFalse(near(other), "\(space): the dark green point drawn in \(other)")
        }
    }

    func testUnknownSpaceIsRefused() throws {
        try ok("ppmmake rgb:00/00/00 1 1 > one.ppm")
        let result = try sh("kmplot cube --space foo one.ppm")
        XCTAssertEqual(result.status, 64)
        XCTAssertEqual(result.stdout.count, 0)
        XCTAssertEqual(result.errorLines.first,
                       "kmplot: The value 'foo' is invalid for '--space <space>'. Please provide one of 'rgb', 'lab', 'oklab' or 'din99'.")
        XCTAssertEqual(result.errorLines.filter { $0.hasPrefix("kmplot:") }.count, 1, result.stderr)
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

    /// A palette with alpha shows each colour over a checkerboard: an opaque
    /// swatch is flat, a translucent one lets the squares through, mixed by its
    /// alpha; labels carry the alpha, and --image shares are premultiplied.
    func testSwatchesOfAPaletteWithAlphaShowTheCheckerboardThrough() throws {
        try ok("printf 'P7\\nWIDTH 3\\nHEIGHT 1\\nDEPTH 4\\nMAXVAL 255\\nTUPLTYPE RGB_ALPHA\\nENDHDR\\n\\377\\0\\0\\377\\377\\0\\0\\200\\0\\0\\0\\0' > pal.pam")
        try ok("printf 'P7\\nWIDTH 4\\nHEIGHT 1\\nDEPTH 4\\nMAXVAL 255\\nTUPLTYPE RGB_ALPHA\\nENDHDR\\n\\377\\0\\0\\377\\377\\0\\0\\377\\377\\0\\0\\177\\11\\11\\11\\0' > img.pam")
        try ok("kmplot swatch --cell 16 --image img.pam pal.pam > s.ppm")
        let picture = try image("s.ppm")
        let grid = SwatchGrid(labels: [["#ff0000ff", "50.0%"], ["#ff000080", "25.0%"], ["#00000000", "25.0%"]], columns: 3, cell: 16)
        XCTAssertEqual(picture.width, grid.width)
        XCTAssertEqual(picture.height, grid.height)
        func colours(_ i: Int) -> Set<[Int]> {
            let (x, y) = grid.origin(i)
            var seen = Set<[Int]>()
            for row in y..<y + 16 { for column in x..<x + 16 { seen.insert(picture.rgb(row * picture.width + column)) } }
            return seen
        }
        XCTAssertEqual(colours(0), [[255, 0, 0]])
        XCTAssertEqual(colours(1), [[255, 127, 127], [230, 102, 102]])  // red at 128/255 over white and over 204
        XCTAssertEqual(colours(2), [[255, 255, 255], [204, 204, 204]])
    }
}
