# Turns usage lines as --help prints them ("kmcost [--json] [--max-cost <J>] <palette> [<file>]",
# one form a line, the "USAGE:" already cut off) into mdoc SYNOPSIS macros: the command's
# first word becomes .Nm, a subcommand .Cm, [x] .Op, <x> .Ar, --x .Fl -x.
function macros(text,    n, w, i, out) {
    n = split(text, w, " ")
    out = ""
    for (i = 1; i <= n; i++) {
        if (w[i] ~ /^<.*>$/) out = out " Ar " substr(w[i], 2, length(w[i]) - 2)
        else if (w[i] ~ /^-/) out = out " Fl " substr(w[i], 2)
        else if (w[i] == "...") out = out " ..."
        else out = out " Cm " w[i]
    }
    return substr(out, 2)
}
NF == 0 { next }
{
    line = $0
    sub(/^ +/, "", line)
    sub(/^[^ ]+ */, "", line)      # the command's name
    print ".Nm"
    while (line != "") {
        if (substr(line, 1, 1) == "[") {
            end = index(line, "]")
            item = ".Op " macros(substr(line, 2, end - 2))
            line = substr(line, end + 1)
        } else {
            end = index(line " ", " ")
            item = "." macros(substr(line, 1, end - 1))
            line = substr(line, end)
        }
        sub(/^ +/, "", line)
        if (substr(line, 1, 3) == "...") { item = item " ..."; line = substr(line, 4); sub(/^ +/, "", line) }
        print item
    }
}
