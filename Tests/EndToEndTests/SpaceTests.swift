import Foundation
import KMCore
import XCTest

/// --space in real pipelines: kmmap maps to the nearest colour in the space,
/// a fit in a space is the better palette there, the palette stays a colormap
/// that netpbm reads, and threads change nothing.
final class SpaceEndToEndTests: EndToEndCase {
    func palette(_ name: String) throws -> Palette {
        let p = try image(name)
        return Palette(colors: p.pixels.map { Color(red: UInt16($0[0]), green: UInt16($0[1]), blue: UInt16($0[2])) },
                       maxval: p.maxval)
    }

    /// J of `palette` on `pixels` (0...255) in `space`, nearest by brute force.
    func cost(_ palette: Palette, _ pixels: [[Int]], _ space: ColorSpace) -> Double {
        let nearest = NearestPoint(palette, space: space)
        let sum = pixels.reduce(0.0) { s, p in
            s + nearest.index(of: space.coordinates(SIMD3(Double(p[0]), Double(p[1]), Double(p[2])) / 255)).distance
        }
        return sum / Double(pixels.count)
    }

    func testMapsToTheNearestColourInTheSpace() throws {
        try makePlanet("a.ppm", width: 90, height: 60, seed: 31)
        let pixels = try image("a.ppm").pixels
        for space in [ColorSpace.lab, .oklab, .din99] {
            try ok("kmfit -k 12 --space \(space) a.ppm > p.ppm && kmmap --space \(space) p.ppm a.ppm > m.ppm")
            let palette = try palette("p.ppm")
            let nearest = NearestPoint(palette, space: space)
            let mapped = try image("m.ppm").pixels
            var wrong = 0
            for (p, q) in zip(pixels, mapped) {
                let i = nearest.index(of: space.coordinates(SIMD3(Double(p[0]), Double(p[1]), Double(p[2])) / 255)).index
                let c = palette.colors[i]
                if q != [Int(c.red), Int(c.green), Int(c.blue)] { wrong += 1 }
            }
            XCTAssertEqual(wrong, 0, "\(space)")
            // The fit is the better palette in its space, the RGB fit in RGB.
            try ok("kmfit -k 12 a.ppm > rgb.ppm")
            let rgb = try self.palette("rgb.ppm")
            XCTAssertLessThan(cost(palette, pixels, space), cost(rgb, pixels, space), "\(space)")
            XCTAssertLessThan(cost(rgb, pixels, .rgb), cost(palette, pixels, .rgb), "\(space)")
            // Same bytes whatever the threads.
            XCTAssertEqual(try ok("kmfit -k 12 --space \(space) --threads 1 a.ppm").stdout, try read("p.ppm"))
            XCTAssertEqual(try ok("kmmap --space \(space) --threads 2 p.ppm a.ppm").stdout, try read("m.ppm"))
        }
    }

    func testPaletteStaysANetpbmColormap() throws {
        try makePlanet("a.ppm", width: 60, height: 40, seed: 32)
        try ok("kmfit -k 8 --space din99 a.ppm > p.ppm")
        let remapped = try ok("pnmremap -mapfile=p.ppm -nofloyd a.ppm 2>/dev/null").stdout
        let colors = Set(try PNM.parseStream(remapped)[0].pixels)
        XCTAssertEqual(colors, Set(try image("p.ppm").pixels))
    }

    func testBadSpaceIsAUsageError() throws {
        try makePlanet("a.ppm", width: 20, height: 10, seed: 33)
        for command in ["kmfit --space xyz a.ppm", "kmmap --space hsv a.ppm a.ppm"] {
            let r = try sh(command)
            XCTAssertEqual(r.status, 64, command)
            XCTAssertTrue(r.stderr.hasPrefix(command.prefix(5) + ":"), r.stderr)
            XCTAssertTrue(r.stderr.contains("din99"), "the message lists the spaces: \(r.stderr)")
        }
        try ok("kmfit -k 4 a.ppm > p.ppm && kmmap --indices p.ppm a.ppm > i.pgm")
        XCTAssertEqual(try sh("kmmap --from-indices --space lab p.ppm i.pgm").status, 64)
    }
}
