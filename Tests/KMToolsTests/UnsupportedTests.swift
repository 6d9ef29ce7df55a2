import KMCore
@testable import KMTools
import XCTest

/// Unsupported's rules as the library's jobs meet them: the same error as the
/// tools', before anything is read or written (the tools' own path: EndToEndTests/UnsupportedTests).
final class UnsupportedTests: XCTestCase {
    let alphaPalette = Palette(colors: [Color(red: 0, green: 0, blue: 0), Color(red: 255, green: 9, blue: 9)],
                               maxval: 255, alphas: [0, 255])

    func testEveryRuleIsStatus64() {
        let rules: [Unsupported] = [.alphaWithSpace(.lab), .alphaPaletteWithSpace("p", scored: true), .alphaImagesWithSpace(image: 2),
                                    .initPaletteWithMinPSNR, .indicesWithFromIndices, .ditherWithFromIndices,
                                    .spaceWithFromIndices, .ditherStrengthWithoutDither]
        for rule in rules {
            XCTAssertEqual(KMError.unsupported(rule).status, 64, "\(rule)")
            XCTAssertEqual(KMError.unsupported(rule).description, rule.description)
        }
    }

    func testOptionsGivenAloneAreAllowed() throws {
        try Unsupported.options()
        try Unsupported.options(alpha: true)
        try Unsupported.options(space: .lab, dither: .fs, ditherStrength: 0.5, minPSNR: 30, indices: true)
        try Unsupported.palette(alphaPalette, name: "p", space: .rgb)
        try Unsupported.palette(alphaPalette.distinct(at: 255), name: "p", space: .lab)
    }

    func testMappingAnAlphaPaletteRefusesSpace() throws {
        for (space, dither, rule) in [(ColorSpace.oklab, Dither.Method.none, Unsupported.alphaPaletteWithSpace("the palette", scored: false))] {
            XCTAssertThrowsError(try mapStream(PNMReader(path: "/dev/null"), palette: alphaPalette, to: Output(path: nil),
                                               space: space, dither: Dither(dither), threads: 1)) { error in
                XCTAssertEqual(error as? KMError, .unsupported(rule))
            }
        }
    }
}
