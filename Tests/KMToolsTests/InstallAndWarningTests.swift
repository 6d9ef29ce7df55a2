import KMCore
@testable import KMTools
import XCTest

/// kmmap's swapped-arguments warning, kmfit's progress modes, the version.
final class InstallAndWarningTests: XCTestCase {
    private func palette(_ width: Int, _ height: Int, colors: Int) -> PaletteImage {
        let list = (0..<width * height).map { i in Color(red: UInt16(i % colors % 256), green: UInt16(i % colors / 256), blue: 0) }
        return PaletteImage(palette: Palette(colors: list, maxval: 255), name: "p.ppm", width: width, height: height)
    }

    func testAnImageGivenAsThePaletteWarnsNamingBothFiles() throws {
        // kmmap image.ppm palette.ppm: a 250x250 "palette" on a 16x1 "image".
        let warning = try XCTUnwrap(swappedArgumentsWarning(palette(250, 250, colors: 40000), image: "pal.ppm", width: 16, height: 1))
        XCTAssertEqual(warning, "warning: the palette p.ppm (250x250, 40,000 colours) has more pixels than the image pal.ppm (16x1): "
                           + "were the palette and the image swapped? (kmmap PALETTE [FILE])")
    }

    func testPalettesThatLookLikePalettesDoNotWarn() {
        // A 16-colour palette on a 1x1 image; 256 colours on a 10x10 one; an image as its own palette.
        XCTAssertNil(swappedArgumentsWarning(palette(16, 1, colors: 16), image: "x", width: 1, height: 1))
        XCTAssertNil(swappedArgumentsWarning(palette(256, 1, colors: 256), image: "x", width: 10, height: 10))
        XCTAssertNil(swappedArgumentsWarning(palette(120, 90, colors: 5000), image: "x", width: 120, height: 90))
        // Just over the limits: 257 pixels on a 16x16 image does warn.
        XCTAssertNotNil(swappedArgumentsWarning(palette(257, 1, colors: 257), image: "x", width: 16, height: 16))
    }

    func testProgressModes() {
        XCTAssertEqual(Progress.mode(verbose: false, terminal: true), .terminal)
        XCTAssertEqual(Progress.mode(verbose: true, terminal: true), .terminal)
        XCTAssertEqual(Progress.mode(verbose: true, terminal: false), .log)
        XCTAssertEqual(Progress.mode(verbose: false, terminal: false), .off)
    }

    func testGroupedDigits() {
        XCTAssertEqual([0, 7, 999, 1000, 45644, 1234567, -1234].map(grouped), ["0", "7", "999", "1,000", "45,644", "1,234,567", "-1,234"])
    }

    func testOneVersionForEveryTool() {
        let parts = kmtoolsVersion.split(separator: ".", omittingEmptySubsequences: false)
        XCTAssertEqual(parts.count, 3, kmtoolsVersion)
        XCTAssertTrue(parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }, kmtoolsVersion)
    }
}
