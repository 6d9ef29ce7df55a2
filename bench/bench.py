"""Runs the kmtools benchmark and prints a Markdown report (see bench/run)."""
import json, os, platform, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release")
QUICK = "--quick" in sys.argv
ONLY_MAP = "--map" in sys.argv
ONLY_VIDEO = "--video" in sys.argv
RUNS = 3 if QUICK else 5
KS = [3, 16, 64, 256]
work = tempfile.mkdtemp(prefix="kmbench.")


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=True, check=True, cwd=work, capture_output=True, text=True, **kw).stdout


def tool(name):
    return os.path.join(BIN, name)


def seconds(cmd, shell=False):
    """Mean wall time of a command, by hyperfine, in seconds: run directly, or with shell=True
    as a bash command line (pipes, globs)."""
    out = os.path.join(work, "hf.json")
    how = ["--shell", "bash"] if shell else ["-N"]
    subprocess.run(["hyperfine", *how, "--warmup", "1", "--runs", str(RUNS), "--export-json", out, cmd],
                   check=True, cwd=work, capture_output=True)
    with open(out) as f:
        return json.load(f)["results"][0]["mean"]


def stream1080():
    """30 ppmforge frames of 1920x1080 in stream.ppm (made once)."""
    if not os.path.exists(os.path.join(work, "stream.ppm")):
        for i in range(30):
            sh(f"ppmforge -seed 11 -width 1920 -height 1080 -hour {i} -inclination 20 2>/dev/null >> stream.ppm")


def video():
    """Frames per second through kmmap with a fixed palette: a process per frame, as many at
    once as cores (GNU parallel), against one process for the whole stream."""
    stream1080()
    cores = os.cpu_count()
    sh("mkdir -p frames && pamsplit stream.ppm 'frames/%d.ppm' 2>/dev/null")
    n = len(os.listdir(os.path.join(work, "frames")))
    print(f"\n## Video: {n} frames of 1920x1080 through a fixed palette\n")
    print(f"Frames per second (higher is better), output to /dev/null. A frame a process: {cores} at once "
          f"over the frame files, started by GNU parallel -j{cores} or by xargs -P{cores}, each kmmap on one "
          f"thread; one process: kmmap over the {n}-frame stream on all {cores} cores. pnmremap is run a frame "
          f"a process by xargs; pamtopnm copies the stream (libnetpbm's read and write, no mapping). "
          f"Ratios: kmmap one process's fps / the other's. Start: the time of one kmmap process "
          f"mapping a 1x1 image, what each frame a process pays over one process.\n")
    print("| colours | kmmap one process | kmmap a frame a process (parallel) | (xargs) | pnmremap -nofloyd (xargs) "
          "| pamtopnm copy | vs parallel | vs xargs | vs pnmremap | vs pamtopnm | kmmap start ms |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    sh("printf 'P3 1 1 255 0 0 0\\n' > pixel.ppm")
    t_copy = seconds("pamtopnm stream.ppm")
    for k in (16, 256):
        sh(f"{tool('kmfit')} -k {k} -r 2 frames/0.ppm > vpal{k}.ppm")
        job = f"{tool('kmmap')} --threads 1 vpal{k}.ppm {{}} > /dev/null"
        t_one = seconds(f"{tool('kmmap')} vpal{k}.ppm stream.ppm")
        t_par = seconds(f"parallel --will-cite -j{cores} '{job}' ::: frames/*.ppm", shell=True)
        t_xargs = seconds(f"ls frames/*.ppm | xargs -P{cores} -I{{}} sh -c '{job}'", shell=True)
        t_remap = seconds(f"ls frames/*.ppm | xargs -P{cores} -I{{}} sh -c "
                          f"'pnmremap -nofloyd -mapfile=vpal{k}.ppm {{}} > /dev/null 2>&1'", shell=True)
        t_start = seconds(f"{tool('kmmap')} --threads 1 vpal{k}.ppm pixel.ppm")
        fps = [n / t for t in (t_one, t_par, t_xargs, t_remap, t_copy)]
        print(f"| {k} | " + " | ".join(f"{f:.1f}" for f in fps) + " | "
              + " | ".join(f"{fps[0] / f:.2f}" for f in fps[1:]) + f" | {t_start * 1000:.1f} |")
        sys.stdout.flush()


def cost_of_image(path, original):
    line = sh(f"{tool('kmcost')} --reference {original} {path}")
    return float(line.split()[0].split("=")[1])


def cost_of_palette(palette, original):
    line = sh(f"{tool('kmcost')} {palette} {original}")
    return float(line.split()[0].split("=")[1])


def images():
    """(name, ppm path): the notebook photo when shared/ has it, then images made here."""
    found = []
    notebook = os.path.join(ROOT, "..", "shared", "seed-images", "colorImage1.png")
    if os.path.exists(notebook):
        sh(f"pngtopnm {notebook} > notebook.ppm")
        found.append(("notebook 202x250", "notebook.ppm"))
    sh("ppmforge -seed 11 -width 333 -height 250 -hour 10 -inclination 20 > planet.ppm 2>/dev/null")
    found.append(("ppmforge planet 333x250", "planet.ppm"))
    sh("/usr/bin/convert wizard: -resize x250 wizard.ppm")
    found.append(("ImageMagick wizard 188x250", "wizard.ppm"))
    return found


def quality_rows(name, ppm):
    rows = []
    sh(f"pnmtopng {ppm} > in.png")
    for k in KS:
        sh(f"{tool('kmfit')} -k {k} {ppm} > pal.ppm")
        j_km = cost_of_palette("pal.ppm", ppm)
        t_km = seconds(f"{tool('kmfit')} -k {k} {ppm}")
        anchors = []
        # pngquant, default speed and --speed 1 without dithering.
        for label, opts in (("pngquant", ""), ("pngquant --speed 1 --nofs", "--speed 1 --nofs")):
            sh(f"pngquant {k} {opts} --force --output q.png in.png")
            sh("pngtopnm q.png > q.ppm")
            t = seconds(f"pngquant {k} {opts} --force --output q.png in.png".replace("  ", " "))
            anchors.append((label, cost_of_image("q.ppm", ppm), t))
        # netpbm median cut, then exact remap.
        sh(f"pnmcolormap {k} {ppm} > cmap.ppm 2>/dev/null")
        sh(f"pnmremap -nofloyd -mapfile=cmap.ppm {ppm} > r.ppm 2>/dev/null")
        anchors.append(("pnmcolormap (+pnmremap for J)", cost_of_image("r.ppm", ppm),
                        seconds(f"pnmcolormap {k} {ppm}")))
        # ImageMagick's octree quantizer, no dithering.
        sh(f"/usr/bin/convert {ppm} -dither None -colors {k} im.ppm")
        anchors.append(("ImageMagick -colors", cost_of_image("im.ppm", ppm),
                        seconds(f"/usr/bin/convert {ppm} -dither None -colors {k} im.ppm")))
        rows.append((name, k, j_km, t_km, anchors))
    return rows


def peak_rss_kib(cmd):
    err = subprocess.run(f"/usr/bin/time -f %M {cmd} > /dev/null", shell=True, check=True, cwd=work,
                         capture_output=True, text=True).stderr
    return int(err.strip().splitlines()[-1])


def main():
    """Everything, or with --map the frame sections only (kmfit on a 4K frame, kmmap, memory)."""
    print("# kmtools benchmark\n")
    cpu = sh("grep -m1 'model name' /proc/cpuinfo").split(":")[1].strip()
    print(f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"- machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}")
    versions = {
        "pngquant": sh("pngquant --version").strip(),
        "ImageMagick": sh("/usr/bin/convert -version").splitlines()[0].split()[2],
        "netpbm": sh("dpkg-query -W -f='${Version}' netpbm"),
    }
    print("- anchors: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print(f"- command: `{' '.join(['bench/run'] + sys.argv[1:])}`; times are whole-process means of "
          f"{RUNS} runs (hyperfine, 1 warm-up), input from the page cache")
    print("- J: the notebook's cost of the result against the original (kmcost); for kmfit, of its "
          "palette under nearest assignment. Ratios are kmfit / anchor: below 1 means kmfit is "
          "better (J) or faster (time).\n")

    if ONLY_VIDEO:
        video()
        sh(f"rm -rf {work}")
        return

    print("## Palette quality and time, 250-high images\n")
    print("| image | K | kmfit J | kmfit ms | anchor | anchor J | anchor ms | J ratio | time ratio |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, ppm in ([] if ONLY_MAP else images()):
        for (img, k, j_km, t_km, anchors) in quality_rows(name, ppm):
            for label, j, t in anchors:
                print(f"| {img} | {k} | {j_km:.6f} | {t_km * 1000:.0f} | {label} | {j:.6f} | {t * 1000:.0f} "
                      f"| {j_km / j:.3f} | {t_km / t:.2f} |")
            sys.stdout.flush()

    print("\n## A 3840x2160 frame\n")
    sh("ppmforge -seed 4 -width 3840 -height 2160 -hour 14 -inclination 10 > frame4k.ppm 2>/dev/null")
    t_km = seconds(f"{tool('kmfit')} -k 16 frame4k.ppm")
    t_cm = seconds("pnmcolormap 16 frame4k.ppm")
    sh(f"{tool('kmfit')} -k 16 frame4k.ppm > pal4k.ppm")
    sh("pnmcolormap 16 frame4k.ppm > cmap4k.ppm 2>/dev/null")
    j_km = cost_of_palette("pal4k.ppm", "frame4k.ppm")
    j_cm = cost_of_palette("cmap4k.ppm", "frame4k.ppm")
    print("| K | kmfit J | kmfit ms | pnmcolormap J | pnmcolormap ms | J ratio | time ratio |")
    print("|---|---|---|---|---|---|---|")
    print(f"| 16 | {j_km:.6f} | {t_km * 1000:.0f} | {j_cm:.6f} | {t_cm * 1000:.0f} | {j_km / j_cm:.3f} | {t_km / t_cm:.2f} |")

    print("\n## kmmap: mapping a frame to a fixed palette, no dithering\n")
    print("3840x2160 frames: the planet above (black sky: many repeated colours) and, when shared/ has it, "
          "the notebook's photo scaled up by pamscale (170,000 distinct colours). Palettes fitted by kmfit. "
          "Ratios: kmmap / other.\n")
    frames = [("planet", "frame4k.ppm")]
    if os.path.exists(os.path.join(work, "notebook.ppm")) or os.path.exists(os.path.join(ROOT, "..", "shared", "seed-images", "colorImage1.png")):
        sh(f"pngtopnm {os.path.join(ROOT, '..', 'shared', 'seed-images', 'colorImage1.png')} | pamscale -xsize 3840 -ysize 2160 > photo4k.ppm")
        frames.append(("notebook photo", "photo4k.ppm"))
    print("| frame | colours | kmmap ms | pamtopnm ms | vs pamtopnm | pnmremap -nofloyd ms | vs pnmremap | ImageMagick -remap ms | vs ImageMagick |")
    print("|---|---|---|---|---|---|---|---|---|")
    for fname, frame in frames:
        t_cat = seconds(f"pamtopnm {frame}")
        for k in (16, 256):
            sh(f"{tool('kmfit')} -k {k} -r 2 {frame} > map{k}.ppm")
            pal = f"map{k}.ppm"
            t_map = seconds(f"{tool('kmmap')} {pal} {frame}")
            t_remap = seconds(f"pnmremap -nofloyd -mapfile={pal} {frame}")
            t_im = seconds(f"/usr/bin/convert {frame} -dither None -remap {pal} im.ppm")
            print(f"| {fname} | {k} | {t_map * 1000:.0f} | {t_cat * 1000:.0f} | {t_map / t_cat:.2f} | {t_remap * 1000:.0f} "
                  f"| {t_map / t_remap:.2f} | {t_im * 1000:.0f} | {t_map / t_im:.2f} |")

    print("\n## kmmap: dithering a 1920x1080 frame\n")
    sh("ppmforge -seed 11 -width 1920 -height 1080 -hour 10 -inclination 20 > frame1080.ppm 2>/dev/null")
    print("| colours | kmmap --dither fs ms | kmmap --dither bayer ms | ImageMagick FS ms | fs vs ImageMagick | pnmremap -floyd ms | fs vs pnmremap |")
    print("|---|---|---|---|---|---|---|")
    for k in (16, 256):
        sh(f"{tool('kmfit')} -k {k} -r 2 frame1080.ppm > pal1080.ppm")
        t_fs = seconds(f"{tool('kmmap')} --dither fs pal1080.ppm frame1080.ppm")
        t_bayer = seconds(f"{tool('kmmap')} --dither bayer pal1080.ppm frame1080.ppm")
        t_im = seconds("/usr/bin/convert frame1080.ppm -dither FloydSteinberg -remap pal1080.ppm im.ppm")
        t_floyd = seconds("pnmremap -floyd -mapfile=pal1080.ppm frame1080.ppm")
        print(f"| {k} | {t_fs * 1000:.0f} | {t_bayer * 1000:.0f} | {t_im * 1000:.0f} | {t_fs / t_im:.2f} "
              f"| {t_floyd * 1000:.0f} | {t_fs / t_floyd:.2f} |")

    print("\n## Memory: a stream of 30 frames of 1920x1080\n")
    stream1080()
    size = os.path.getsize(os.path.join(work, "stream.ppm"))
    rss = peak_rss_kib(f"{tool('kmfit')} -k 16 stream.ppm")
    one = peak_rss_kib(f"{tool('kmfit')} -k 16 frame4k.ppm")
    print("| input | input MiB | kmfit -k 16 peak RSS MiB | RSS / input |")
    print("|---|---|---|---|")
    print(f"| 30 x 1920x1080 stream | {size / 2**20:.0f} | {rss / 1024:.0f} | {rss * 1024 / size:.3f} |")
    size4k = os.path.getsize(os.path.join(work, "frame4k.ppm"))
    print(f"| one 3840x2160 frame | {size4k / 2**20:.0f} | {one / 1024:.0f} | {one * 1024 / size4k:.3f} |")
    rss_map = peak_rss_kib(f"{tool('kmmap')} pal4k.ppm stream.ppm")
    print(f"\nkmmap over the 30-frame stream: peak RSS {rss_map / 1024:.0f} MiB (one frame is "
          f"{size / 30 / 2**20:.1f} MiB).")
    video()
    sh(f"rm -rf {work}")


main()
