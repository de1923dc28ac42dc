// Package jaas reads Kafka's JAAS configuration text (sasl.jaas.config, a
// listener's <mechanism>.sasl.jaas.config) with the grammar of Kafka's
// JaasConfig, a java.io.StreamTokenizer: words and quoted strings, // and
// /* */ comments, each login module "class flag key=value ... ;". One
// parser for both sides, the broker's listeners and the kq commands'
// clients, as store/keystore is for TLS stores, so a config one side
// accepts the other reads the same way.
//
// Errors carry ErrSyntax and Kafka's message with the character position;
// they name keys and module classes, never values, which are passwords.
package jaas

import (
	"errors"
	"fmt"
	"strings"
)

// LoginModule is one entry of a JAAS configuration:
//
//	org.apache.kafka.common.security.plain.PlainLoginModule required
//	    username="admin" password="admin-secret" user_alice="alice-secret";
type LoginModule struct {
	Class   string
	Flag    string // required, requisite, sufficient or optional
	Options map[string]string
}

// Login module classes Kafka's brokers use with each mechanism.
const (
	PlainLoginModule       = "org.apache.kafka.common.security.plain.PlainLoginModule"
	ScramLoginModule       = "org.apache.kafka.common.security.scram.ScramLoginModule"
	OAuthBearerLoginModule = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule"
)

// ErrSyntax marks malformed JAAS text.
var ErrSyntax = errors.New("JAAS config syntax")

// maxJAASLen bounds the text Parse reads: configs are a few hundred
// bytes, and the parser must stay cheap on whatever it is fed.
const maxJAASLen = 1 << 20

// ParseConfig reads a sasl.jaas.config value, which Kafka requires to
// hold exactly one login module.
func ParseConfig(text string) (LoginModule, error) {
	mods, err := Parse(text)
	if err != nil {
		return LoginModule{}, err
	}
	if len(mods) != 1 {
		return LoginModule{}, fmt.Errorf("%w: JAAS config property contains %d login modules, should be 1 module", ErrSyntax, len(mods))
	}
	return mods[0], nil
}

// Parse reads one or more login modules.
func Parse(text string) ([]LoginModule, error) {
	if len(text) > maxJAASLen {
		return nil, fmt.Errorf("%w: JAAS config is %d bytes, more than %d", ErrSyntax, len(text), maxJAASLen)
	}
	t := &jaasTokens{src: text}
	var mods []LoginModule
	for {
		tok, err := t.next()
		if err != nil {
			return nil, err
		}
		if tok.kind == tokEOF {
			break
		}
		m, err := t.module(tok)
		if err != nil {
			return nil, err
		}
		mods = append(mods, m)
	}
	if len(mods) == 0 {
		return nil, t.errorf("Login module not specified in JAAS config")
	}
	return mods, nil
}

// module reads one login module whose class token was already read.
func (t *jaasTokens) module(class jaasToken) (LoginModule, error) {
	if class.kind != tokWord {
		return LoginModule{}, t.errorf("Login module not specified in JAAS config")
	}
	flag, err := t.next()
	if err != nil {
		return LoginModule{}, err
	}
	switch strings.ToLower(flag.text) {
	case "required", "requisite", "sufficient", "optional":
	default:
		return LoginModule{}, t.errorf("Invalid control flag in JAAS config for login module %s", class.text)
	}
	m := LoginModule{Class: class.text, Flag: strings.ToLower(flag.text), Options: map[string]string{}}
	for {
		key, err := t.next()
		if err != nil {
			return LoginModule{}, err
		}
		switch {
		case key.kind == tokSymbol && key.text == ";":
			return m, nil
		case key.kind == tokEOF:
			return LoginModule{}, t.errorf("JAAS config entry not terminated by semi-colon")
		case key.kind != tokWord:
			return LoginModule{}, t.errorf("Unexpected token in JAAS config options of login module %s", class.text)
		}
		if err := t.option(key.text, m.Options); err != nil {
			return LoginModule{}, err
		}
	}
}

// option reads "= value" after key.
func (t *jaasTokens) option(key string, into map[string]string) error {
	eq, err := t.next()
	if err != nil {
		return err
	}
	if eq.kind != tokSymbol || eq.text != "=" {
		return t.errorf("Value not specified for key '%s' in JAAS config", key)
	}
	v, err := t.next()
	if err != nil {
		return err
	}
	if v.kind != tokWord && v.kind != tokQuoted {
		return t.errorf("Value not specified for key '%s' in JAAS config", key)
	}
	into[key] = v.text
	return nil
}

type tokenKind int

const (
	tokEOF tokenKind = iota
	tokWord
	tokQuoted
	tokSymbol // any other single character: '=', ';', ...
)

type jaasToken struct {
	kind tokenKind
	text string
}

// jaasTokens splits JAAS text as StreamTokenizer does with Kafka's settings:
// word characters are letters, '-', '_', '$' and bytes >= 0x80, followed by
// those, digits and '.'; strings are quoted with " or ' and take Java escapes.
type jaasTokens struct {
	src string
	pos int
}

// errorf is a syntax error at the current position, in Kafka's words.
func (t *jaasTokens) errorf(format string, args ...any) error {
	return fmt.Errorf("%w: %s (at character %d)", ErrSyntax, fmt.Sprintf(format, args...), t.pos)
}

func (t *jaasTokens) next() (jaasToken, error) {
	if err := t.skipSpaceAndComments(); err != nil {
		return jaasToken{}, err
	}
	if t.pos >= len(t.src) {
		return jaasToken{kind: tokEOF}, nil
	}
	c := t.src[t.pos]
	switch {
	case isWordStart(c):
		start := t.pos
		for t.pos < len(t.src) && isWordPart(t.src[t.pos]) {
			t.pos++
		}
		return jaasToken{kind: tokWord, text: t.src[start:t.pos]}, nil
	case c == '"' || c == '\'':
		return t.quoted(c)
	}
	t.pos++
	return jaasToken{kind: tokSymbol, text: string(c)}, nil
}

func isWordStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_' || c == '$' || c >= 0x80
}

func isWordPart(c byte) bool { return isWordStart(c) || c >= '0' && c <= '9' || c == '.' }

func (t *jaasTokens) skipSpaceAndComments() error {
	for t.pos < len(t.src) {
		rest := t.src[t.pos:]
		switch {
		case rest[0] <= ' ':
			t.pos++
		case strings.HasPrefix(rest, "//"):
			end := strings.IndexAny(rest, "\r\n")
			if end < 0 {
				end = len(rest)
			}
			t.pos += end
		case strings.HasPrefix(rest, "/*"):
			end := strings.Index(rest[2:], "*/")
			if end < 0 {
				return t.errorf("JAAS config comment not terminated")
			}
			t.pos += end + 4
		default:
			return nil
		}
	}
	return nil
}

// quoted reads a string up to its closing quote, or the end of the line
// as StreamTokenizer does, decoding Java's escapes.
func (t *jaasTokens) quoted(q byte) (jaasToken, error) {
	t.pos++
	var b strings.Builder
	for t.pos < len(t.src) {
		c := t.src[t.pos]
		t.pos++
		switch {
		case c == q:
			return jaasToken{kind: tokQuoted, text: b.String()}, nil
		case c == '\n' || c == '\r':
			return jaasToken{kind: tokQuoted, text: b.String()}, nil
		case c == '\\' && t.pos < len(t.src):
			b.WriteByte(t.escape())
		default:
			b.WriteByte(c)
		}
	}
	return jaasToken{kind: tokQuoted, text: b.String()}, nil
}

// escape decodes the escape after a backslash: \n \t \r \b \f, up to three
// octal digits, or the character itself (\" \\ \').
func (t *jaasTokens) escape() byte {
	c := t.src[t.pos]
	t.pos++
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
	if c < '0' || c > '7' {
		return c
	}
	v := int(c - '0')
	for i := 0; i < 2 && t.pos < len(t.src) && t.src[t.pos] >= '0' && t.src[t.pos] <= '7' && v*8 < 256; i++ {
		v = v*8 + int(t.src[t.pos]-'0')
		t.pos++
	}
	return byte(v)
}
