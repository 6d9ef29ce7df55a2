function __kmplot_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __kmplot_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __kmplot_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __kmplot_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __kmplot_parse_tokens -S
    set -l unparsed_tokens (__kmplot_tokens -pc)
    switch $unparsed_tokens[1]
    case 'kmplot'
        __kmplot_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'cube'
            __kmplot_parse_subcommand 1 'palette=' 'points=' 'size=' 'azimuth=' 'elevation=' 'space=' 'o/output=' 'version' 'h/help'
        case 'swatch'
            __kmplot_parse_subcommand 1 'image=' 'columns=' 'cell=' 'o/output=' 'version' 'h/help'
        case 'runs'
            __kmplot_parse_subcommand 1 'o/output=' 'version' 'h/help'
        case 'elbow'
            __kmplot_parse_subcommand 1 'o/output=' 'version' 'h/help'
        case 'compare'
            __kmplot_parse_subcommand -r 1 'label=+' 'o/output=' 'version' 'h/help'
        case 'help'
            __kmplot_parse_subcommand -r 1 'version'
        end
    end
end

function __kmplot_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __kmplot_parse_subcommand -S -a positional_count
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

function __kmplot_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __kmplot_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__kmplot_tokens -p)
    if test -z "$(__kmplot_tokens -t)"
        set -l index (count (__kmplot_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'kmplot' -f
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot" version' -l 'version' -d 'Show the version.'
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_positional "kmplot" -eq 1' -fa 'cube' -d 'The image\'s pixels as points in the RGB cube (or a CIELAB or OkLab box), in their own colour or their nearest palette colour.'
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_positional "kmplot" -eq 1' -fa 'swatch' -d 'The palette as a grid of labelled swatches.'
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_positional "kmplot" -eq 1' -fa 'runs' -d 'The cost of every k-means run, from kmfit --report (TSV: restart, iterations, J).'
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_positional "kmplot" -eq 1' -fa 'elbow' -d 'J against the number of colours, from kmcost lines (colors= and J=).'
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_positional "kmplot" -eq 1' -fa 'compare' -d 'Images side by side, each captioned.'
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_positional "kmplot" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot cube" palette' -l 'palette' -d 'Colour each point by its nearest colour of this palette (nearest in --space), and mark the palette\'s colours.' -rF
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot cube" points' -l 'points' -d 'At most this many pixels, taken evenly from the image.' -rfka ''
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot cube" size' -l 'size' -d 'Width and height of the picture, pixels.' -rfka ''
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot cube" azimuth' -l 'azimuth' -d 'Turn about the vertical axis (green, or lightness), degrees (-1000000 to 1000000).' -rfka ''
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot cube" elevation' -l 'elevation' -d 'Tilt towards the viewer, degrees (-1000000 to 1000000).' -rfka ''
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot cube" space' -l 'space' -d 'Where the points are drawn: rgb (the RGB cube), lab (CIELAB: L* up, a* across, b* away), oklab (OkLab: L, a, b) or din99 (L99, a99, b99).' -rfka 'rgb lab oklab din99'
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot cube" o output' -s 'o' -l 'output' -d 'Write to this file instead of standard output.' -rF
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_positional "kmplot cube" -eq 1' -F
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot cube" version' -l 'version' -d 'Show the version.'
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot cube" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot swatch" image' -l 'image' -d 'Label each colour with its share of this image\'s pixels (nearest colour; with a palette that has alpha, by premultiplied distance, every pixel counted).' -rF
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot swatch" columns' -l 'columns' -d 'Swatches a row.' -rfka ''
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot swatch" cell' -l 'cell' -d 'Side of a swatch, pixels.' -rfka ''
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot swatch" o output' -s 'o' -l 'output' -d 'Write to this file instead of standard output.' -rF
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_positional "kmplot swatch" -eq 1' -F
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot swatch" version' -l 'version' -d 'Show the version.'
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot swatch" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot runs" o output' -s 'o' -l 'output' -d 'Write to this file instead of standard output.' -rF
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_positional "kmplot runs" -eq 1' -F
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot runs" version' -l 'version' -d 'Show the version.'
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot runs" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot elbow" o output' -s 'o' -l 'output' -d 'Write to this file instead of standard output.' -rF
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_positional "kmplot elbow" -eq 1' -F
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot elbow" version' -l 'version' -d 'Show the version.'
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot elbow" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot compare"' -l 'label' -d 'A caption, once per image in order (default: the file names).' -rfka ''
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot compare" o output' -s 'o' -l 'output' -d 'Write to this file instead of standard output.' -rF
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_positional "kmplot compare" -ge 1' -F
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot compare" version' -l 'version' -d 'Show the version.'
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot compare" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'kmplot' -n '__kmplot_should_offer_completions_for_flags_or_options "kmplot help" version' -l 'version' -d 'Show the version.'
