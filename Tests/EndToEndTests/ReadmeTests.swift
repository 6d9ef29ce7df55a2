import Foundation
import XCTest

/// The README's recipes, run as written on generated inputs (photo.png, icon.png,
/// frames/*.png, clip.mkv), then checked for what each recipe is for: K colours, one
/// palette for every frame, a GIF that keeps kmmap's dithering, partial transparency kept.
final class ReadmeTests: EndToEndCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try requireCommands("ffmpeg", "make")
        // The inputs the README names: a planet photo, an icon whose alpha is a soft disc
        // (fully transparent corners, an antialiased edge), four frames, a 6-frame clip.
        try ok("""
            ppmforge -seed 5 -width 160 -height 120 2>/dev/null | pnmtopng > photo.png
            ppmforge -seed 9 -width 48 -height 48 2>/dev/null > icon-rgb.ppm
            pamgauss 48 48 -sigma 8 -maxval 255 -tupletype GRAYSCALE -maximize | pamtopnm | pamfunc -multiplier 3 > icon-disc.pgm
            pnmtopng -alpha=icon-disc.pgm icon-rgb.ppm > icon.png
            mkdir frames
            for n in 1 2 3 4; do ppmforge -seed $n -width 96 -height 72 2>/dev/null | pnmtopng > frames/00$n.png; done
            ffmpeg -v error -f lavfi -i testsrc=size=160x90:rate=12 -frames:v 6 -vcodec ffv1 clip.mkv
            """)
    }

    /// Every `sh` block of the README's Recipes, in order, in one shell; the `make` block as a Makefile.
    func testRecipes() throws {
        let recipes = try DocSection("Recipes")
        let scripts = recipes.blocks["sh", default: []]
        XCTAssertEqual(scripts.count, 5, "the Recipes' sh blocks")
        try ok("set -eu\n" + scripts.joined(separator: "\n"))

        // One PNG: K colours, and the fewest colours that meet 30 dB do meet it.
        try ok("pngtopnm photo.png > photo.ppm")
        let photo = try image("photo.ppm")
        for (name, most) in [("photo16", 16), ("photo16-dithered", 16), ("photo-fewest", 256)] {
            try ok("pngtopnm \(name).png > \(name).ppm")
            let colours = Set(try image("\(name).ppm").pixels).count
            XCTAssertLessThanOrEqual(colours, most, name)
            XCTAssertGreaterThan(colours, 1, name)
        }
        XCTAssertEqual(Set(try image("photo16.ppm").pixels).count, 16)
        let fewest = scoreFields(try ok("kmcost --reference photo.ppm photo-fewest.ppm").text)
        XCTAssertGreaterThanOrEqual(Double(fewest["psnr"] ?? "") ?? 0, 30, "photo-fewest.png's PSNR")
        XCTAssertEqual(try image("photo16.ppm").pixelCount, photo.pixelCount)
        // What the dithered one is for: blurred (as the eye averages), nearer the photo.
        let original = UnitImage(photo)
        XCTAssertLessThan(original.blurredCost(UnitImage(try image("photo16-dithered.ppm"))),
                          original.blurredCost(UnitImage(try image("photo16.ppm"))), "photo16-dithered.png")
        // The smaller file: kmquant's dithered pixels exactly, in fewer bytes.
        try ok("pngtopnm photo16-small.png > photo16-small.ppm")
        XCTAssertEqual(try image("photo16-small.ppm").pixels, try image("photo16-dithered.ppm").pixels)
        XCTAssertLessThan(try read("photo16-small.png").count, try read("photo16-dithered.png").count, "photo16-small.png")

        // Many frames, one palette: every frame mapped, each only the palette's colours.
        let palette = try image("pal.ppm")
        XCTAssertEqual([palette.width, palette.height], [16, 1])
        for n in 1...4 {
            try ok("pngtopnm out/00\(n).png > f.ppm")
            XCTAssertTrue(Set(try image("f.ppm").pixels).isSubset(of: Set(palette.pixels)), "out/00\(n).png")
        }

        // The GIF: six frames, each exactly kmmap's dithered frame (ffmpeg only looked the colours up).
        try ok("ffmpeg -v error -i clip.gif -f image2pipe -vcodec ppm - > gif.ppm")
        try ok("ffmpeg -v error -i clip.mkv -f image2pipe -vcodec ppm - | kmmap --dither fs pal256.ppm > dithered.ppm")
        let gif = try images("gif.ppm"), dithered = try images("dithered.ppm")
        XCTAssertEqual(gif.count, 6)
        XCTAssertEqual(gif.map(\.pixels), dithered.map(\.pixels), "clip.gif is not kmmap --dither fs's frames")
        XCTAssertLessThanOrEqual(Set(gif.flatMap(\.pixels)).count, 64)

        // Transparency: at most 16 RGBA colours, the soft edge still partly transparent.
        try ok("pngtopnm icon16.png > icon16-rgb.ppm && pngtopnm -alpha icon16.png > icon16-a.pgm")
        let rgb = try image("icon16-rgb.ppm"), alpha = try image("icon16-a.pgm")
        let rgba = Set((0..<rgb.pixelCount).map { rgb.rgb($0) + [alpha.samples[$0]] })
        XCTAssertLessThanOrEqual(rgba.count, 16)
        XCTAssertTrue(alpha.samples.contains(0), "icon16.png lost its transparent corners")
        XCTAssertTrue(alpha.samples.contains { $0 > 0 && $0 < 255 }, "icon16.png lost its partial transparency")

        // kmcost: the palette's cost on the photo is the mapped image's error against it.
        let byPalette = scoreFields(try ok("kmcost pal16.ppm photo.ppm").text)
        let byImage = scoreFields(try ok("kmmap pal16.ppm photo.ppm | kmcost --reference photo.ppm").text)
        XCTAssertEqual(byPalette["J"], byImage["J"])
        for name in ["cube.png", "swatch.png"] { XCTAssertTrue(exists(name), name) }
    }

    /// The Makefile: every frame mapped under make -j2, then nothing left to do.
    func testMakefileRecipe() throws {
        let makefile = try XCTUnwrap(try DocSection("Recipes").blocks["make"]?.first, "the Recipes' make block")
        XCTAssertTrue(makefile.contains("\n\t"), "the recipe lines must start with a tab")
        try write("Makefile.frames", Data(makefile.utf8))
        try ok("make -s -j2 -f Makefile.frames")
        let palette = Set(try image("pal.ppm").pixels)
        XCTAssertEqual(palette.count, 16)
        for n in 1...4 {
            try ok("pngtopnm small/00\(n).png > f.ppm")
            XCTAssertTrue(Set(try image("f.ppm").pixels).isSubset(of: palette), "small/00\(n).png")
        }
        try ok("make -q -f Makefile.frames")  // up to date
        XCTAssertTrue(try sh("ls small/*.tmp").status != 0, "a temporary file was left behind")
    }

    /// The inline claims next to the recipes: netpbm reads our palette and we read netpbm's.
    func testPalettesAreNetpbmColormaps() throws {
        try ok("pngtopnm photo.png > photo.ppm && kmfit -k 16 photo.ppm > pal16.ppm")
        let remapped = try ok("pnmremap -mapfile=pal16.ppm photo.ppm 2>/dev/null | kmcost --reference photo.ppm").text
        let ours = try ok("kmmap pal16.ppm photo.ppm | kmcost --reference photo.ppm").text
        XCTAssertEqual(scoreFields(remapped)["J"], scoreFields(ours)["J"], "pnmremap and kmmap map to the same nearest colours")
        try ok("pnmcolormap 16 photo.ppm 2>/dev/null | kmmap - photo.ppm > theirs.ppm")
        XCTAssertLessThanOrEqual(Set(try image("theirs.ppm").pixels).count, 16)
    }
}
