function __kmfit_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __kmfit_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __kmfit_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __kmfit_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __kmfit_parse_tokens -S
    set -l unparsed_tokens (__kmfit_tokens -pc)
    switch $unparsed_tokens[1]
    case 'kmfit'
        __kmfit_parse_subcommand -r 1 'k/colors=' 'init-palette=' 'fixed=' 'speed=' 'r/restarts=' 'max-iterations=' 'tolerance=' 'init=' 'seed=' 'maxval=' 'space=' 'pad=' 'alpha' 'threads=' 'o/output=' 'v/verbose' 'report=' 'version' 'h/help'
    end
end

function __kmfit_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __kmfit_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __kmfit_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __kmfit_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__kmfit_tokens -p)
    if test -z "$(__kmfit_tokens -t)"
        set -l index (count (__kmfit_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'kmfit' -f
complete -c 'kmfit' -n '__kmfit_should_offer_completions_for_flags_or_options "kmfit" colors k' -s 'k' -l 'colors' -d 'Number of colours (1-65536), the --fixed ones included (default 16, or the --init-palette\'s count plus the --fixed colours not in it).' -rfka ''
complete -c 'kmfit' -n '__kmfit_should_offer_completions_for_flags_or_options "kmfit" init-palette' -l 'init-palette' -d 'Start from this palette (say, the previous frame\'s): one run from its colours.' -rF
complete -c 'kmfit' -n '__kmfit_should_offer_completions_for_flags_or_options "kmfit" fixed' -l 'fixed' -d 'Colours the palette holds as given; the others are fitted around them.' -rF
complete -c 'kmfit' -n '__kmfit_should_offer_completions_for_flags_or_options "kmfit" speed' -l 'speed' -d 'Effort, 1 (slowest, lowest cost) to 10 (fastest).' -rfka ''
complete -c 'kmfit' -n '__kmfit_should_offer_completions_for_flags_or_options "kmfit" r restarts' -s 'r' -l 'restarts' -d 'k-means runs from different starts; the lowest-cost run is kept (default: by --speed).' -rfka ''
complete -c 'kmfit' -n '__kmfit_should_offer_completions_for_flags_or_options "kmfit" max-iterations' -l 'max-iterations' -d 'Most Lloyd iterations per run.' -rfka ''
complete -c 'kmfit' -n '__kmfit_should_offer_completions_for_flags_or_options "kmfit" tolerance' -l 'tolerance' -d 'A run has converged when no centre moves farther than this (in --space units; unit RGB cube for rgb).' -rfka ''
complete -c 'kmfit' -n '__kmfit_should_offer_completions_for_flags_or_options "kmfit" init' -l 'init' -d 'How runs start: kmeans++ (greedy k-means++), random (K distinct random pixels) or split (one run from a variance split).' -rfka 'kmeans++ random split'
complete -c 'kmfit' -n '__kmfit_should_offer_completions_for_flags_or_options "kmfit" seed' -l 'seed' -d 'Seed of the random starts; the same seed gives the same palette.' -rfka ''
complete -c 'kmfit' -n '__kmfit_should_offer_completions_for_flags_or_options "kmfit" maxval' -l 'maxval' -d 'Maxval of the palette written, and so of kmquant\'s output (1-65535).' -rfka ''
complete -c 'kmfit' -n '__kmfit_should_offer_completions_for_flags_or_options "kmfit" space' -l 'space' -d 'Where colours are compared: rgb (the notebook\'s J), lab (CIELAB, D65), oklab or din99.' -rfka 'rgb lab oklab din99'
complete -c 'kmfit' -n '__kmfit_should_offer_completions_for_flags_or_options "kmfit" pad' -l 'pad' -d 'Pad the palette to this many colours (N x 1 pixels) with repeats of its first colour.' -rfka ''
complete -c 'kmfit' -n '__kmfit_should_offer_completions_for_flags_or_options "kmfit" alpha' -l 'alpha' -d 'Fit colours with opacity, and write the palette as a PAM RGB_ALPHA.'
complete -c 'kmfit' -n '__kmfit_should_offer_completions_for_flags_or_options "kmfit" threads' -l 'threads' -d 'Threads to use (default: all processors); the output does not depend on it.' -rfka ''
complete -c 'kmfit' -n '__kmfit_should_offer_completions_for_flags_or_options "kmfit" o output' -s 'o' -l 'output' -d 'Write to this file instead of standard output.' -rF
complete -c 'kmfit' -n '__kmfit_should_offer_completions_for_flags_or_options "kmfit" v verbose' -s 'v' -l 'verbose' -d 'Report the cost of each run and of the best one on standard error.'
complete -c 'kmfit' -n '__kmfit_should_offer_completions_for_flags_or_options "kmfit" report' -l 'report' -d 'Write every run\'s cost to this file as TSV, for kmplot runs.' -rF
complete -c 'kmfit' -n '__kmfit_should_offer_completions_for_positional "kmfit" -ge 1' -F
complete -c 'kmfit' -n '__kmfit_should_offer_completions_for_flags_or_options "kmfit" version' -l 'version' -d 'Show the version.'
complete -c 'kmfit' -n '__kmfit_should_offer_completions_for_flags_or_options "kmfit" h help' -s 'h' -l 'help' -d 'Show help information.'
