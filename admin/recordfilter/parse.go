package recordfilter

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kqhq/kq/admin"
)

// Filter is a parsed expression. It is immutable and safe for concurrent
// use.
type Filter struct {
	text string
	root node
}

// node is one part of the expression tree.
type node interface {
	match(r *record) bool
}

// ErrEmpty is returned by Parse for an expression with nothing in it.
var ErrEmpty = errors.New("empty filter")

// Parse reads an expression (see the package documentation). now is what
// a relative time (-15m) counts back from.
func Parse(text string, now time.Time) (*Filter, error) {
	if !utf8.ValidString(text) {
		return nil, errors.New("the expression is not valid UTF-8")
	}
	toks, err := lex(text)
	if err != nil {
		return nil, err
	}
	if len(toks) == 1 {
		return nil, ErrEmpty
	}
	p := &parser{toks: toks, now: now}
	root, err := p.or()
	if err == nil && p.peek().kind != tEOF {
		err = p.unexpected()
	}
	if err != nil {
		return nil, err
	}
	return &Filter{text: text, root: root}, nil
}

// String is the expression as it was given.
func (f *Filter) String() string { return f.text }

// Match says whether the filter accepts r.
func (f *Filter) Match(r *admin.Record) bool {
	return f.root.match(&record{Record: r})
}

type parser struct {
	toks []token
	i    int
	now  time.Time
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) unexpected() error {
	t := p.peek()
	if t.kind == tEOF {
		return errors.New("unexpected end of the expression")
	}
	return fmt.Errorf("unexpected %q at column %d", t.text, t.pos+1)
}

func isWord(t token, w string) bool { return t.kind == tWord && strings.EqualFold(t.text, w) }

// or := and { "or" and }
func (p *parser) or() (node, error) {
	left, err := p.and()
	for err == nil && isWord(p.peek(), "or") {
		p.next()
		var right node
		if right, err = p.and(); err == nil {
			left = orNode{left, right}
		}
	}
	return left, err
}

// and := not { ["and"] not }
func (p *parser) and() (node, error) {
	left, err := p.not()
	for err == nil {
		t := p.peek()
		if t.kind == tEOF || t.kind == tRParen || isWord(t, "or") {
			break
		}
		if isWord(t, "and") {
			p.next()
		}
		var right node
		if right, err = p.not(); err == nil {
			left = andNode{left, right}
		}
	}
	return left, err
}

// not := ("not" | "!") not | "(" or ")" | term
func (p *parser) not() (node, error) {
	t := p.peek()
	switch {
	case t.kind == tNot || isWord(t, "not"):
		p.next()
		n, err := p.not()
		return notNode{n}, err
	case t.kind == tLParen:
		p.next()
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.peek().kind != tRParen {
			return nil, fmt.Errorf("missing ) for the ( at column %d", t.pos+1)
		}
		p.next()
		return n, nil
	}
	return p.term()
}

// term := [FIELD] OP OPERAND | FIELD | OPERAND
func (p *parser) term() (node, error) {
	t := p.next()
	switch t.kind {
	case tPath:
		return p.pathTerm(t)
	case tHeader:
		return p.fieldTerm(field{kind: fHeaderNamed, name: t.text, text: "header." + Quote(t.text)})
	case tString:
		return anyContains(t.text), nil
	case tOp:
		p.i-- // the operator belongs to the term of no field
		return p.fieldTerm(field{kind: fAny, text: "any"})
	case tWord:
		if isWord(t, "and") || isWord(t, "or") {
			return nil, fmt.Errorf("%q at column %d needs a term before it", t.text, t.pos+1)
		}
		if p.peek().kind != tOp && !isFieldWord(t.text) {
			return anyContains(t.text), nil
		}
		f, err := parseField(t)
		if err != nil {
			return nil, err
		}
		return p.fieldTerm(f)
	}
	if t.kind != tEOF {
		p.i-- // point the error at it
	}
	return nil, p.unexpected()
}

// operand reads what follows an operator.
func (p *parser) operand(op token) (operand, error) {
	t := p.next()
	switch t.kind {
	case tOperand:
		if t.text == "" {
			break
		}
		return operand{text: t.text}, nil
	case tString:
		return operand{text: t.text, quoted: true}, nil
	}
	return operand{}, fmt.Errorf("%s at column %d needs a value after it", op.text, op.pos+1)
}

// operand is the value after an operator; quoted says it was in quotes,
// so it is text even when it reads as null or a number.
type operand struct {
	text   string
	quoted bool
}
