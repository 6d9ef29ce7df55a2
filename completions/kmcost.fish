function __kmcost_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __kmcost_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __kmcost_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __kmcost_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __kmcost_parse_tokens -S
    set -l unparsed_tokens (__kmcost_tokens -pc)
    switch $unparsed_tokens[1]
    case 'kmcost'
        __kmcost_parse_subcommand -r 1 'reference=' 'space=' 'json' 'max-cost=' 'version' 'h/help'
    end
end

function __kmcost_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __kmcost_parse_subcommand -S -a positional_count
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

function __kmcost_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __kmcost_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__kmcost_tokens -p)
    if test -z "$(__kmcost_tokens -t)"
        set -l index (count (__kmcost_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'kmcost' -f
complete -c 'kmcost' -n '__kmcost_should_offer_completions_for_flags_or_options "kmcost" reference' -l 'reference' -d 'Score each image against the image at the same place in this stream.' -rF
complete -c 'kmcost' -n '__kmcost_should_offer_completions_for_flags_or_options "kmcost" space' -l 'space' -d 'Where colours are compared: rgb (the notebook\'s J), lab (CIELAB, D65), oklab or din99.' -rfka 'rgb lab oklab din99'
complete -c 'kmcost' -n '__kmcost_should_offer_completions_for_flags_or_options "kmcost" json' -l 'json' -d 'Print one JSON object per image instead of key=value pairs, every number in full.'
complete -c 'kmcost' -n '__kmcost_should_offer_completions_for_flags_or_options "kmcost" max-cost' -l 'max-cost' -d 'Exit with status 2 when some image\'s J (in the units of --space) is above this.' -rfka ''
complete -c 'kmcost' -n '__kmcost_should_offer_completions_for_positional "kmcost" -ge 1' -F
complete -c 'kmcost' -n '__kmcost_should_offer_completions_for_flags_or_options "kmcost" version' -l 'version' -d 'Show the version.'
complete -c 'kmcost' -n '__kmcost_should_offer_completions_for_flags_or_options "kmcost" h help' -s 'h' -l 'help' -d 'Show help information.'
