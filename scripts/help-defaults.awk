# Reads --help output (COLUMNS wide enough for one line a paragraph) and prints
# "SUBCOMMAND<TAB>--option<TAB>default" for each option whose help ends in
# "(default: X)" or "(values: ...; default: X)", for tidy-manual.awk (-v subcommand=NAME).
function flush(    d) {
    if (entry == "") return
    if (match(entry, /default: [^)]*\)$/)) {
        d = substr(entry, RSTART + 9, RLENGTH - 10)
        if (match(entry, /--[a-z][a-z-]*/)) print subcommand "\t" substr(entry, RSTART, RLENGTH) "\t" d
    }
    entry = ""
}
# An option's line, then its help when the names left no room for it; the
# discussion's paragraphs after that are not read.
/^  -/ { flush(); entry = $0; whole = ($0 ~ /^  -[^ ].*[^ ]   *[^ ]/); next }
/^   +[^ ]/ && entry != "" && !whole { line = $0; sub(/^ +/, " ", line); entry = entry line; whole = 1; next }
{ flush() }
END { flush() }
