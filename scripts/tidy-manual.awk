# Tidies a page from swift-argument-parser's generate-manual: drops the stray
# "help subcommand" entries, gives the options their own OPTIONS section, and
# stops before EXIT STATUS (the hand-written man/TOOL.tail follows).
/^\.Ar subcommand$/ && !keep { next }
/^\.It Em help$/ { skip = 5 }
skip > 0 { skip--; next }
/^\.Sh "EXIT STATUS"/ { exit }
/^\.Sh DESCRIPTION/ { indesc = 1 }
indesc && /^\.Bl -tag/ { print ".Sh OPTIONS"; indesc = 0 }
{ print }
