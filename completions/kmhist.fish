function __kmhist_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __kmhist_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __kmhist_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __kmhist_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __kmhist_parse_tokens -S
    set -l unparsed_tokens (__kmhist_tokens -pc)
    switch $unparsed_tokens[1]
    case 'kmhist'
        __kmhist_parse_subcommand -r 1 'alpha' 'bits=' 'v/verbose' 'threads=' 'o/output=' 'version' 'h/help'
    end
end

function __kmhist_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __kmhist_parse_subcommand -S -a positional_count
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

function __kmhist_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __kmhist_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__kmhist_tokens -p)
    if test -z "$(__kmhist_tokens -t)"
        set -l index (count (__kmhist_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'kmhist' -f
complete -c 'kmhist' -n '__kmhist_should_offer_completions_for_flags_or_options "kmhist" alpha' -l 'alpha' -d 'Count colours with their opacity (for kmfit --alpha).'
complete -c 'kmhist' -n '__kmhist_should_offer_completions_for_flags_or_options "kmhist" bits' -l 'bits' -d 'Round every colour to this many bits a sample (1-16) before counting it: fewer distinct colours.' -rfka ''
complete -c 'kmhist' -n '__kmhist_should_offer_completions_for_flags_or_options "kmhist" v verbose' -s 'v' -l 'verbose' -d 'Say what was counted (frames, pixels, distinct colours) on standard error.'
complete -c 'kmhist' -n '__kmhist_should_offer_completions_for_flags_or_options "kmhist" threads' -l 'threads' -d 'Threads to use (default: all processors); the output does not depend on it.' -rfka ''
complete -c 'kmhist' -n '__kmhist_should_offer_completions_for_flags_or_options "kmhist" o output' -s 'o' -l 'output' -d 'Write to this file instead of standard output.' -rF
complete -c 'kmhist' -n '__kmhist_should_offer_completions_for_positional "kmhist" -ge 1' -F
complete -c 'kmhist' -n '__kmhist_should_offer_completions_for_flags_or_options "kmhist" version' -l 'version' -d 'Show the version.'
complete -c 'kmhist' -n '__kmhist_should_offer_completions_for_flags_or_options "kmhist" h help' -s 'h' -l 'help' -d 'Show help information.'
