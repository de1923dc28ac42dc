// Package recordfilter is the one filter language of kq: `kq consume
// --filter` and the Messages view of `kq tui` parse the same expressions
// with Parse and keep the records Filter.Match accepts, so the two agree.
// It reads a record's bytes as stored (before any deserializer).
//
// # Syntax
//
// An expression is terms joined by and (or just a space), or, not (or !)
// and parentheses; and binds tighter than or. A term is FIELD OP OPERAND,
// a FIELD alone, or an OPERAND alone:
//
//	key:abc                   the key contains abc
//	value~'^\{"type":"order'  the value matches an RE2 regular expression
//	key=null                  the key is null ("null" in quotes is the text)
//	header.trace-id           the record has a header named trace-id
//	header.source=billing     a header source has the value billing
//	header:retry              a header name or value contains retry
//	partition=0,2  offset>=1000  timestamp>=-1h  timestamp<2025-01-02
//	$.user.id=42              RFC 9535 JSONPath on the value (parsed as JSON):
//	$.items[?@.price>100]     alone, the path selects something
//	needle                    key, value or a header contains needle
//
// Fields: key, value, header (any name or value), header.NAME (the values of
// the headers named NAME; quote a name with spaces or operators:
// header."a b"), partition, offset, timestamp (or ts), and a JSONPath
// starting with $. With no field a term looks at the key, the value and
// every header name and value.
//
// Operators: ":" contains, ignoring case unless the operand has a capital
// letter (as the TUI's / search); "=" equals (bytes, or a number, a list
// a,b,c for partition and offset); "!=" is its negation; "~" and "!~" match
// and do not match an RE2 regular expression; "<" "<=" ">" ">=" compare
// partition, offset, timestamp and JSONPath values. A negated operator
// (!=, !~) on a header or JSONPath means no header, or no selected value,
// matches.
//
// Operands are words, or strings in "double" or 'single' quotes with
// backslash escapes. A timestamp is epoch milliseconds, RFC 3339,
// YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS (UTC), or -DURATION back from the
// time of parsing (-15m, -2h30m). For a JSONPath an unquoted operand that
// is a JSON number, true, false or null is that JSON value; anything else
// (and anything quoted) is a string. A value that is not JSON never
// matches a JSONPath term.
//
// and, or and not are words of the language: quote them to look for the
// text.
package recordfilter
