package consume

// filterHelp is the filters part of kq consume --help (indented four
// spaces so the man page keeps it as a block): the language of
// admin/recordfilter, in short.
const filterHelp = `Filters are terms joined by a space or "and", "or", "not" (or !) and
parentheses; "and" binds tighter than "or":

    needle                       key, value or a header name or value contains needle
    key:abc  value:abc           contains (any case, unless it has a capital)
    key=abc  key!=abc  key=null  equals (null unquoted is Kafka's null)
    value~'^\{"type"'            matches an RE2 regular expression (!~ does not)
    header.trace-id              has the header; header.NAME=V, :V, ~RE on its values
    header:retry                 any header name or value contains retry
    partition=0,2  offset>=1000  numbers: = != < <= > >= (lists with = and !=)
    timestamp>=-1h  ts<2025-01-02T03:04:05Z   epoch ms, RFC 3339, a date, -DURATION
    $.user.id=42  $.items[?@.price>100]       RFC 9535 JSONPath on the value as JSON

Quote an operand with spaces or ")" ("a b" or 'a b'); and, or and not are
words of the language (quote them to search for them). The filter reads the
bytes as stored, before --key-deserializer and --value-deserializer. When its
partition terms name the only partitions that can match (partition=2 and ...),
only those are read.`
