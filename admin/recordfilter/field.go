package recordfilter

import (
	"fmt"
	"strings"
)

// fieldKind is what part of a record a term looks at.
type fieldKind int

const (
	fAny         fieldKind = iota // key, value, header names and values
	fKey                          // the key
	fValue                        // the value
	fHeader                       // any header name or value
	fHeaderNamed                  // the values of headers with one name
	fPartition                    // the partition
	fOffset                       // the offset
	fTimestamp                    // the timestamp
)

type field struct {
	kind fieldKind
	name string // fHeaderNamed
	text string // as written, for errors
}

// fieldNames are the plain field words.
var fieldNames = map[string]fieldKind{"key": fKey, "value": fValue, "header": fHeader, "headers": fHeader,
	"partition": fPartition, "offset": fOffset, "timestamp": fTimestamp, "ts": fTimestamp}

// knownFields lists the fields for errors.
const knownFields = "key, value, header, header.NAME, partition, offset, timestamp, $.json.path"

const headerDot = "header."

func isFieldWord(w string) bool {
	lower := strings.ToLower(w)
	_, ok := fieldNames[lower]
	return ok || strings.HasPrefix(lower, "header.")
}

func parseField(t token) (field, error) {
	lower := strings.ToLower(t.text)
	if k, ok := fieldNames[lower]; ok {
		return field{kind: k, text: t.text}, nil
	}
	if len(t.text) > len(headerDot) && strings.EqualFold(t.text[:len(headerDot)], headerDot) {
		return field{kind: fHeaderNamed, name: t.text[len(headerDot):], text: t.text}, nil
	}
	return field{}, fmt.Errorf("unknown field %q at column %d (known: %s; quote text to search for it)", t.text, t.pos+1, knownFields)
}

// fieldTerm reads the rest of a term on f: an operator and its operand,
// or nothing for a header's presence.
func (p *parser) fieldTerm(f field) (node, error) {
	if p.peek().kind != tOp {
		switch f.kind {
		case fHeader:
			return hasHeader{}, nil
		case fHeaderNamed:
			return hasHeader{name: f.name, named: true}, nil
		}
		return nil, fmt.Errorf("%s needs an operator and a value, as in %s", f.text, example(f.kind))
	}
	op := p.next()
	val, err := p.operand(op)
	if err != nil {
		return nil, err
	}
	switch f.kind {
	case fPartition, fOffset:
		return numberTerm(f, op, val)
	case fTimestamp:
		return timeTerm(op, val, p.now)
	}
	return bytesTerm(f, op, val)
}

func example(k fieldKind) string {
	switch k {
	case fPartition:
		return "partition=0"
	case fOffset:
		return "offset>=100"
	case fTimestamp:
		return "timestamp>=-1h"
	case fValue:
		return "value:TEXT, value=TEXT or value~REGEX"
	}
	return "key:TEXT, key=TEXT or key~REGEX"
}
