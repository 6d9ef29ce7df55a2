function __kmquant_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __kmquant_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __kmquant_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __kmquant_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __kmquant_parse_tokens -S
    set -l unparsed_tokens (__kmquant_tokens -pc)
    switch $unparsed_tokens[1]
    case 'kmquant'
        __kmquant_parse_subcommand 2 'k/colors=' 'min-psnr=' 'init-palette=' 'fixed=' 'speed=' 'r/restarts=' 'max-iterations=' 'tolerance=' 'init=' 'seed=' 'maxval=' 'space=' 'pad=' 'alpha' 'dither=' 'dither-strength=' 'indices' 'palette-out=' 'pipe-limit=' 'threads=' 'o/output=' 'v/verbose' 'version' 'h/help'
    end
end

function __kmquant_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __kmquant_parse_subcommand -S -a positional_count
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

function __kmquant_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __kmquant_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__kmquant_tokens -p)
    if test -z "$(__kmquant_tokens -t)"
        set -l index (count (__kmquant_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'kmquant' -f
complete -c 'kmquant' -n '__kmquant_should_offer_completions_for_positional "kmquant" -eq 1' -F
complete -c 'kmquant' -n '__kmquant_should_offer_completions_for_flags_or_options "kmquant" colors k' -s 'k' -l 'colors' -d 'Number of colours, as K: kmquant -k 16 FILE is kmquant 16 FILE.' -rfka ''
complete -c 'kmquant' -n '__kmquant_should_offer_completions_for_flags_or_options "kmquant" min-psnr' -l 'min-psnr' -d 'Use the fewest colours, up to K, whose PSNR is at least this (dB).' -rfka ''
complete -c 'kmquant' -n '__kmquant_should_offer_completions_for_flags_or_options "kmquant" init-palette' -l 'init-palette' -d 'Start from this palette (say, the previous frame\'s): one run from its colours.' -rF
complete -c 'kmquant' -n '__kmquant_should_offer_completions_for_flags_or_options "kmquant" fixed' -l 'fixed' -d 'Colours the palette holds as given; the others are fitted around them.' -rF
complete -c 'kmquant' -n '__kmquant_should_offer_completions_for_flags_or_options "kmquant" speed' -l 'speed' -d 'Effort, 1 (slowest, lowest cost) to 10 (fastest).' -rfka ''
complete -c 'kmquant' -n '__kmquant_should_offer_completions_for_flags_or_options "kmquant" r restarts' -s 'r' -l 'restarts' -d 'k-means runs from different starts; the lowest-cost run is kept (default: by --speed).' -rfka ''
complete -c 'kmquant' -n '__kmquant_should_offer_completions_for_flags_or_options "kmquant" max-iterations' -l 'max-iterations' -d 'Most Lloyd iterations per run.' -rfka ''
complete -c 'kmquant' -n '__kmquant_should_offer_completions_for_flags_or_options "kmquant" tolerance' -l 'tolerance' -d 'A run has converged when no centre moves farther than this (in --space units; unit RGB cube for rgb).' -rfka ''
complete -c 'kmquant' -n '__kmquant_should_offer_completions_for_flags_or_options "kmquant" init' -l 'init' -d 'How runs start: kmeans++ (greedy k-means++), random (K distinct random pixels) or split (one run from a variance split).' -rfka 'kmeans++ random split'
complete -c 'kmquant' -n '__kmquant_should_offer_completions_for_flags_or_options "kmquant" seed' -l 'seed' -d 'Seed of the random starts; the same seed gives the same palette.' -rfka ''
complete -c 'kmquant' -n '__kmquant_should_offer_completions_for_flags_or_options "kmquant" maxval' -l 'maxval' -d 'Maxval of the palette written, and so of kmquant\'s output (1-65535).' -rfka ''
complete -c 'kmquant' -n '__kmquant_should_offer_completions_for_flags_or_options "kmquant" space' -l 'space' -d 'Where colours are compared: rgb (the notebook\'s J), lab (CIELAB, D65), oklab or din99.' -rfka 'rgb lab oklab din99'
complete -c 'kmquant' -n '__kmquant_should_offer_completions_for_flags_or_options "kmquant" pad' -l 'pad' -d 'Pad the palette to this many colours (N x 1 pixels) with repeats of its first colour.' -rfka ''
complete -c 'kmquant' -n '__kmquant_should_offer_completions_for_flags_or_options "kmquant" alpha' -l 'alpha' -d 'Fit colours with opacity, and write the palette as a PAM RGB_ALPHA.'
complete -c 'kmquant' -n '__kmquant_should_offer_completions_for_flags_or_options "kmquant" dither' -l 'dither' -d 'Dithering: none, fs (Floyd-Steinberg), sierra (Sierra\'s three-row filter) or bayer (ordered).' -rfka 'none fs sierra bayer'
complete -c 'kmquant' -n '__kmquant_should_offer_completions_for_flags_or_options "kmquant" dither-strength' -l 'dither-strength' -d 'How much dithering, 0 (none: nearest colour) to 1 (full; the default).' -rfka ''
complete -c 'kmquant' -n '__kmquant_should_offer_completions_for_flags_or_options "kmquant" indices' -l 'indices' -d 'Write a PGM of palette indices instead of colours (with --palette-out, the compressed form).'
complete -c 'kmquant' -n '__kmquant_should_offer_completions_for_flags_or_options "kmquant" palette-out' -l 'palette-out' -d 'Also write the palette (kmfit\'s output) to this file.' -rF
complete -c 'kmquant' -n '__kmquant_should_offer_completions_for_flags_or_options "kmquant" pipe-limit' -l 'pipe-limit' -d 'Most MiB of input held in memory when it is not a regular file (1-1048576).' -rfka ''
complete -c 'kmquant' -n '__kmquant_should_offer_completions_for_flags_or_options "kmquant" threads' -l 'threads' -d 'Threads to use (default: all processors); the output does not depend on it.' -rfka ''
complete -c 'kmquant' -n '__kmquant_should_offer_completions_for_flags_or_options "kmquant" o output' -s 'o' -l 'output' -d 'Write to this file instead of standard output.' -rF
complete -c 'kmquant' -n '__kmquant_should_offer_completions_for_flags_or_options "kmquant" v verbose' -s 'v' -l 'verbose' -d 'Report the frames and colours read, each fit\'s PSNR (--min-psnr) and the palette\'s J on standard error.'
complete -c 'kmquant' -n '__kmquant_should_offer_completions_for_flags_or_options "kmquant" version' -l 'version' -d 'Show the version.'
complete -c 'kmquant' -n '__kmquant_should_offer_completions_for_flags_or_options "kmquant" h help' -s 'h' -l 'help' -d 'Show help information.'
