import Foundation
import XCTest

/// kmfit --fixed: colours the palette holds as given, the others fitted around them.
final class FixedColoursTests: EndToEndCase {
    let brand = [[255, 255, 255], [0, 0, 0], [200, 30, 90]]

    func palette(_ name: String) throws -> [[Int]] {
        let p = try image(name)
        return (0..<p.width * p.height).map { p.rgb($0) }
    }

    func testFixedColoursAreInThePaletteWhateverTheThreads() throws {
        try makePlanet("a.ppm", width: 90, height: 70, seed: 5)
        try write("brand.ppm", PNM.ppm(width: 3, height: 1, pixels: brand))
        for space in ["rgb", "lab"] {
            let one = try ok("kmfit -k 8 --space \(space) --fixed brand.ppm --threads 1 a.ppm | tee p.ppm").stdout
            let colours = try palette("p.ppm")
            XCTAssertEqual(colours.count, 8, space)
            XCTAssertEqual(Set(colours).count, 8, space)
            XCTAssertTrue(Set(colours).isSuperset(of: brand), "\(space): \(colours)")
            XCTAssertEqual(try ok("kmfit -k 8 --space \(space) --fixed brand.ppm --threads 2 a.ppm").stdout, one, space)
        }
        // At another maxval, the same colours on that scale.
        try ok("kmfit -k 8 --maxval 65535 --fixed brand.ppm a.ppm > deep.ppm")
        XCTAssertTrue(Set(try palette("deep.ppm")).isSuperset(of: brand.map { $0.map { $0 * 257 } }))
    }

    /// The bound: J at or below that of a fit that ignores the fixed
    /// colours (K - F colours) with the fixed ones added, a palette that also holds them.
    func testCostIsAtOrBelowAFitIgnoringThemPlusThem() throws {
        try makePlanet("a.ppm", width: 90, height: 70, seed: 5)
        // Two colours of the image itself, so that they take pixels.
        try ok("kmfit -k 2 a.ppm > brand.ppm")
        try ok("kmfit -k 8 --fixed brand.ppm a.ppm > fixed.ppm")
        try ok("kmfit -k 6 a.ppm > free.ppm && pnmcat -lr free.ppm brand.ppm > plus.ppm")
        let fixed = try XCTUnwrap(costJ(ok("kmcost fixed.ppm a.ppm").text))
        let plus = try XCTUnwrap(costJ(ok("kmcost plus.ppm a.ppm").text))
        // Below, not only at: the fixed colours take pixels, and the free ones are fitted around them.
        XCTAssertLessThan(fixed, plus)
    }

    /// A fixed colour far from every pixel stays in the palette, and the other
    /// colours still fit the image (here, greys).
    func testFarFixedColourStays() throws {
        let greys = (0..<64).map { [$0 * 4, $0 * 4, $0 * 4] }
        try write("g.ppm", PNM.ppm(width: 64, height: 1, pixels: greys))
        try write("red.ppm", PNM.ppm(width: 1, height: 1, pixels: [[255, 0, 0]]))
        try ok("kmfit -k 4 --fixed red.ppm g.ppm > p.ppm")
        let colours = try palette("p.ppm")
        XCTAssertEqual(colours.last, [255, 0, 0], "the least used: no pixel")
        XCTAssertEqual(colours.dropLast().filter { $0[0] == $0[1] && $0[1] == $0[2] }.count, 3, "\(colours)")
    }

    /// A palette fitted with --fixed warm-starts the next fit: K stays its size,
    /// the fixed colours are not counted twice.
    func testWithInitPalette() throws {
        try makePlanet("a.ppm", width: 90, height: 70, seed: 5)
        try makePlanet("b.ppm", width: 90, height: 70, seed: 6)
        try write("brand.ppm", PNM.ppm(width: 3, height: 1, pixels: brand))
        try ok("kmfit -k 8 --fixed brand.ppm a.ppm > p.ppm")
        try ok("kmfit --init-palette p.ppm --fixed brand.ppm b.ppm > q.ppm")
        let next = try palette("q.ppm")
        XCTAssertEqual(next.count, 8)
        XCTAssertTrue(Set(next).isSuperset(of: brand))
        // A start palette without them: K is its size plus theirs.
        try ok("kmfit -k 5 a.ppm > five.ppm && kmfit --init-palette five.ppm --fixed brand.ppm b.ppm > r.ppm")
        XCTAssertEqual(try palette("r.ppm").count, 8)
    }

    func testBadFixedFiles() throws {
        try makePlanet("a.ppm")
        // Repeated colours count once.
        try write("brand.ppm", PNM.ppm(width: 4, height: 1, pixels: brand + [[0, 0, 0]]))
        try ok("kmfit -k 3 --fixed brand.ppm a.ppm > p.ppm")
        XCTAssertEqual(Set(try palette("p.ppm")), Set(brand))
        let tooMany = try sh("kmfit -k 2 --fixed brand.ppm a.ppm")
        XCTAssertEqual(tooMany.status, 64)
        XCTAssertTrue(tooMany.stderr.hasPrefix("kmfit: --fixed: brand.ppm has 3 colours, more than the 2 of -k"), tooMany.stderr)
        let missing = try sh("kmfit --fixed nothere.ppm a.ppm")
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.hasPrefix("kmfit: --fixed: ") && missing.stderr.contains("nothere.ppm"), missing.stderr)
        XCTAssertEqual(splitLines(missing.stderr).count, 1, missing.stderr)
        try write("text.ppm", Data("white and black\n".utf8))
        let text = try sh("kmfit --fixed text.ppm a.ppm")
        XCTAssertEqual(text.status, 1)
        XCTAssertTrue(text.stderr.hasPrefix("kmfit: --fixed: ") && text.stderr.contains("text.ppm"), text.stderr)
    }
}
