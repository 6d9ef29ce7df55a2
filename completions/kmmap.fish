function __kmmap_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __kmmap_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __kmmap_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __kmmap_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __kmmap_parse_tokens -S
    set -l unparsed_tokens (__kmmap_tokens -pc)
    switch $unparsed_tokens[1]
    case 'kmmap'
        __kmmap_parse_subcommand 2 'dither=' 'dither-strength=' 'space=' 'indices' 'from-indices' 'threads=' 'o/output=' 'version' 'h/help'
    end
end

function __kmmap_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __kmmap_parse_subcommand -S -a positional_count
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

function __kmmap_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __kmmap_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__kmmap_tokens -p)
    if test -z "$(__kmmap_tokens -t)"
        set -l index (count (__kmmap_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'kmmap' -f
complete -c 'kmmap' -n '__kmmap_should_offer_completions_for_positional "kmmap" -eq 1' -F
complete -c 'kmmap' -n '__kmmap_should_offer_completions_for_positional "kmmap" -eq 2' -F
complete -c 'kmmap' -n '__kmmap_should_offer_completions_for_flags_or_options "kmmap" dither' -l 'dither' -d 'Dithering: none, fs (Floyd-Steinberg), sierra (Sierra\'s three-row filter) or bayer (ordered).' -rfka 'none fs sierra bayer'
complete -c 'kmmap' -n '__kmmap_should_offer_completions_for_flags_or_options "kmmap" dither-strength' -l 'dither-strength' -d 'How much dithering, 0 (none: nearest colour) to 1 (full; the default).' -rfka ''
complete -c 'kmmap' -n '__kmmap_should_offer_completions_for_flags_or_options "kmmap" space' -l 'space' -d 'Where colours are compared: rgb (the notebook\'s J), lab (CIELAB, D65), oklab or din99.' -rfka 'rgb lab oklab din99'
complete -c 'kmmap' -n '__kmmap_should_offer_completions_for_flags_or_options "kmmap" indices' -l 'indices' -d 'Write a PGM of palette indices instead of colours.'
complete -c 'kmmap' -n '__kmmap_should_offer_completions_for_flags_or_options "kmmap" from-indices' -l 'from-indices' -d 'Read PGMs of palette indices (from --indices) and write their colours.'
complete -c 'kmmap' -n '__kmmap_should_offer_completions_for_flags_or_options "kmmap" threads' -l 'threads' -d 'Threads to use (default: all processors); the output does not depend on it.' -rfka ''
complete -c 'kmmap' -n '__kmmap_should_offer_completions_for_flags_or_options "kmmap" o output' -s 'o' -l 'output' -d 'Write to this file instead of standard output.' -rF
complete -c 'kmmap' -n '__kmmap_should_offer_completions_for_flags_or_options "kmmap" version' -l 'version' -d 'Show the version.'
complete -c 'kmmap' -n '__kmmap_should_offer_completions_for_flags_or_options "kmmap" h help' -s 'h' -l 'help' -d 'Show help information.'
