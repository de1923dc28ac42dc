package admin

import (
	"errors"
	"fmt"
	"strings"
)

// JAASEntry is one login module of a JAAS configuration, as Kafka's
// sasl.jaas.config holds it:
//
//	org.apache.kafka.common.security.plain.PlainLoginModule required username="a" password="b";
//
// Options keep their order-independent values; a later duplicate replaces an
// earlier one, as in Kafka's parser.
type JAASEntry struct {
	LoginModule string
	Flag        string // required, requisite, sufficient or optional (lower case)
	Options     map[string]string
}

// ErrJAASSyntax marks a malformed sasl.jaas.config. Its messages name the
// position and what was expected but never quote the text, which holds
// passwords.
var ErrJAASSyntax = errors.New("sasl.jaas.config syntax")

// ParseJAAS parses Kafka's sasl.jaas.config: exactly one login module
// (Kafka refuses more in a client property), its control flag, key=value
// options with quoted or bare values, and the closing ';'. Comments (// and
// /* */) are skipped as Java's tokenizer does.
func ParseJAAS(text string) (JAASEntry, error) {
	p := &jaasParser{src: text}
	entry, err := p.entry()
	if err != nil {
		return JAASEntry{}, err
	}
	if tok, err := p.next(); err != nil {
		return JAASEntry{}, err
	} else if tok.kind != tokEOF {
		return JAASEntry{}, p.errorf("one login module expected, found a second one (Kafka's client takes exactly one)")
	}
	return entry, nil
}

func (p *jaasParser) entry() (JAASEntry, error) {
	module, err := p.expectWord("a login module class name")
	if err != nil {
		return JAASEntry{}, err
	}
	flag, err := p.expectWord("a control flag (required, requisite, sufficient or optional)")
	if err != nil {
		return JAASEntry{}, err
	}
	flag = strings.ToLower(flag)
	switch flag {
	case "required", "requisite", "sufficient", "optional":
	default:
		return JAASEntry{}, p.errorf("the control flag must be required, requisite, sufficient or optional")
	}
	e := JAASEntry{LoginModule: module, Flag: flag, Options: map[string]string{}}
	for {
		tok, err := p.next()
		if err != nil {
			return JAASEntry{}, err
		}
		switch tok.kind {
		case tokSemicolon:
			return e, nil
		case tokWord:
			value, err := p.optionValue()
			if err != nil {
				return JAASEntry{}, err
			}
			e.Options[tok.text] = value
		default:
			return JAASEntry{}, p.errorf("an option name or the closing ';' expected")
		}
	}
}

func (p *jaasParser) optionValue() (string, error) {
	tok, err := p.next()
	if err != nil {
		return "", err
	}
	if tok.kind != tokEquals {
		return "", p.errorf("'=' expected after an option name")
	}
	tok, err = p.next()
	if err != nil {
		return "", err
	}
	if tok.kind != tokWord && tok.kind != tokQuoted {
		return "", p.errorf("an option value expected (quote values that hold spaces or symbols)")
	}
	return tok.text, nil
}

func (p *jaasParser) expectWord(what string) (string, error) {
	tok, err := p.next()
	if err != nil {
		return "", err
	}
	if tok.kind != tokWord {
		return "", p.errorf("%s expected", what)
	}
	return tok.text, nil
}

type tokenKind uint8

const (
	tokEOF tokenKind = iota
	tokWord
	tokQuoted
	tokEquals
	tokSemicolon
	tokOther
)

type jaasToken struct {
	kind tokenKind
	text string
}

// jaasParser is a tokenizer in the manner of java.io.StreamTokenizer as
// Kafka's JaasConfig sets it up: words of letters, digits and . - _ $ { },
// double-quoted strings with backslash escapes, and single-character tokens.
type jaasParser struct {
	src string
	pos int
}

func (p *jaasParser) errorf(format string, args ...any) error {
	return fmt.Errorf("%w at character %d: %s", ErrJAASSyntax, p.pos, fmt.Sprintf(format, args...))
}

func (p *jaasParser) next() (jaasToken, error) {
	if err := p.skipSpaceAndComments(); err != nil {
		return jaasToken{}, err
	}
	if p.pos >= len(p.src) {
		return jaasToken{kind: tokEOF}, nil
	}
	c := p.src[p.pos]
	switch {
	case c == '"':
		return p.quoted()
	case isJAASWordChar(c):
		start := p.pos
		for p.pos < len(p.src) && isJAASWordChar(p.src[p.pos]) {
			p.pos++
		}
		return jaasToken{kind: tokWord, text: p.src[start:p.pos]}, nil
	}
	p.pos++
	switch c {
	case '=':
		return jaasToken{kind: tokEquals}, nil
	case ';':
		return jaasToken{kind: tokSemicolon}, nil
	}
	return jaasToken{kind: tokOther}, nil
}

func isJAASWordChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '.' || c == '-' || c == '_' || c == '$' || c == '{' || c == '}' || c >= 0x80
}

func (p *jaasParser) skipSpaceAndComments() error {
	for p.pos < len(p.src) {
		switch {
		case p.src[p.pos] <= ' ':
			p.pos++
		case strings.HasPrefix(p.src[p.pos:], "//"):
			end := strings.IndexAny(p.src[p.pos:], "\r\n")
			if end < 0 {
				p.pos = len(p.src)
			} else {
				p.pos += end
			}
		case strings.HasPrefix(p.src[p.pos:], "/*"):
			end := strings.Index(p.src[p.pos+2:], "*/")
			if end < 0 {
				return p.errorf("unterminated /* comment")
			}
			p.pos += end + 4
		default:
			return nil
		}
	}
	return nil
}

// quoted reads a "..." string. A backslash takes the next character
// literally, except \n \t \r \b \f, which Java's tokenizer turns into
// control characters.
func (p *jaasParser) quoted() (jaasToken, error) {
	var b strings.Builder
	for p.pos++; p.pos < len(p.src); p.pos++ {
		c := p.src[p.pos]
		switch c {
		case '"':
			p.pos++
			return jaasToken{kind: tokQuoted, text: b.String()}, nil
		case '\n', '\r':
			return jaasToken{}, p.errorf("a quoted value runs past the end of the line")
		case '\\':
			if p.pos+1 >= len(p.src) {
				return jaasToken{}, p.errorf("a quoted value is not closed")
			}
			p.pos++
			b.WriteByte(unescapeJAAS(p.src[p.pos]))
		default:
			b.WriteByte(c)
		}
	}
	return jaasToken{}, p.errorf("a quoted value is not closed")
}

func unescapeJAAS(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 't':
		return '\t'
	case 'r':
		return '\r'
	case 'b':
		return '\b'
	case 'f':
		return '\f'
	}
	return c
}
