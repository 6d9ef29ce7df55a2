# Tidies a page from swift-argument-parser's generate-manual: drops the stray
# "help subcommand" entries, gives the options their own OPTIONS section, and
# stops before EXIT STATUS (the hand-written man/TOOL.tail follows).
#   -v keep=1           keep the subcommand entries (kmplot's are real)
#   -v synopsis=FILE    mdoc lines for SYNOPSIS instead of the generated ones (from the
#                       usage lines of --help: kmcost's two forms, kmplot's subcommands)
#   -v defaults=FILE    lines "SUBCOMMAND<TAB>--option<TAB>default" (SUBCOMMAND empty for
#                       the command itself), from --help: each option's default is added
#                       to its first line of help, as --help shows it
BEGIN {
    FS = " "
    if (defaults != "") {
        while ((getline line < defaults) > 0) {
            split(line, f, "\t")
            dflt[f[1] "\t" f[2]] = f[3]
        }
    }
}
/^\.Ar subcommand$/ && !keep { next }
/^\.It Em help$/ { inhelp = 1; depth = 0 }
inhelp && /^\.Bl/ { depth++ }
inhelp && /^\.El/ && --depth == 0 { inhelp = 0; next }
inhelp { next }
/^\.Sh "EXIT STATUS"/ { exit }
synopsis != "" && /^\.Sh SYNOPSIS/ {
    print
    while ((getline line < synopsis) > 0) print line
    insyn = 1
    next
}
insyn && /^\.Sh / { insyn = 0 }
insyn { next }
/^\.Sh DESCRIPTION/ { indesc = 1 }
indesc && /^\.Bl -tag/ { print ".Sh OPTIONS"; indesc = 0 }
/^\.It Em / { sub_ = $3 }
pending != "" { print $0 " (default: " pending ")"; pending = ""; next }
/^\.It Fl / {
    for (i = 3; i <= NF && $i != "Ar"; i++)
        if ($i ~ /^-[a-z]/ && ((sub_ "\t-" $i) in dflt)) pending = dflt[sub_ "\t-" $i]
}
{ print }
