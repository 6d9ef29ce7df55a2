# Tidies a completion script from swift-argument-parser's --generate-completion-script
# for a command without subcommands (-v shell=bash|zsh|fish, -v name=TOOL): the parser's
# tool description gives every command a "help" subcommand, which only commands with
# subcommands have, so the script offered a "help" word where kmfit, kmmap and kmcost
# expect a file, which they would then take as a file name. This drops it.
shell == "bash" && /^    # Offer subcommand \/ subcommand argument completions$/ { skip = "^    esac$"; next }
shell == "bash" && $0 == "_" name "_help() {" { skip = "^}$"; blank = 1; next }
shell == "zsh" && (/^        '\(-\): :->command'$/ || /^        '\(-\)\*:: :->arg'$/) { next }
shell == "zsh" && /^    case "\$\{state\}" in$/ { skip = "^    esac$"; next }
shell == "zsh" && $0 == "_" name "_help() {" { skip = "^}$"; blank = 1; next }
shell == "fish" && /^        switch \$unparsed_tokens\[1\]$/ { skip = "^        end$"; next }
shell == "fish" && (/-fa 'help' -d 'Show subcommand help information\.'$/ || index($0, "\"" name " help\"")) { next }
skip != "" { if ($0 ~ skip) skip = ""; next }
blank && $0 == "" { blank = 0; next }
{ blank = 0; print }
