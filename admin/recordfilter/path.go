package recordfilter

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strconv"

	"github.com/theory/jsonpath"
)

// pathTerm reads a JSONPath term: the path alone (it selects something),
// or the path, an operator and a value one of the selected values is
// compared with.
func (p *parser) pathTerm(t token) (node, error) {
	path, err := jsonpath.Parse(t.text)
	if err != nil {
		return nil, fmt.Errorf("JSONPath %s at column %d: %w", t.text, t.pos+1, err)
	}
	n := pathNode{path: path}
	if p.peek().kind != tOp {
		return n, nil
	}
	op := p.next()
	val, err := p.operand(op)
	if err != nil {
		return nil, err
	}
	if n.test, err = pathTest(t.text, op, val); err != nil {
		return nil, err
	}
	if op.text[0] == '!' {
		return notNode{n}, nil // no selected value matches
	}
	return n, nil
}

// pathTest builds the test of one selected value.
func pathTest(path string, op token, val operand) (func(v any) bool, error) {
	want := operandJSON(val)
	switch op.text {
	case "=", "!=":
		return func(v any) bool { return jsonEqual(v, want) }, nil
	case ":":
		re := containsRegexp(val.text)
		return func(v any) bool { return re.MatchString(jsonText(v)) }, nil
	case "~", "!~":
		re, err := regexp.Compile(val.text)
		if err != nil {
			return nil, fmt.Errorf("%s%s: invalid regular expression: %w", path, op.text, err)
		}
		return func(v any) bool { return re.MatchString(jsonText(v)) }, nil
	}
	c := cmp(op.text)
	return func(v any) bool {
		order, ok := jsonOrder(v, want)
		return ok && c.holds(order)
	}, nil
}

// pathNode matches when the path selects a value (that passes test, when
// there is one) from the record's value read as JSON.
type pathNode struct {
	path *jsonpath.Path
	test func(v any) bool
}

func (n pathNode) match(r *record) bool {
	doc, ok := r.valueJSON()
	if !ok {
		return false
	}
	for _, v := range n.path.Select(doc) {
		if n.test == nil || n.test(v) {
			return true
		}
	}
	return false
}

// valueJSON decodes the value once; numbers stay json.Number so that
// 64-bit ids compare exactly.
func (r *record) valueJSON() (any, bool) {
	if !r.decoded {
		r.decoded = true
		if r.Value != nil {
			d := json.NewDecoder(bytes.NewReader(r.Value))
			d.UseNumber()
			r.isJSON = d.Decode(&r.json) == nil && !d.More()
		}
	}
	return r.json, r.isJSON
}

// operandJSON is an unquoted operand read as JSON when it is JSON, else
// the operand's text as a string.
func operandJSON(val operand) any {
	if !val.quoted {
		d := json.NewDecoder(bytes.NewReader([]byte(val.text)))
		d.UseNumber()
		var v any
		if d.Decode(&v) == nil && !d.More() {
			return v
		}
	}
	return val.text
}

// jsonText is a selected value as text: a string as it is, anything else
// as JSON.
func jsonText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

func jsonEqual(a, b any) bool {
	if order, ok := jsonOrder(a, b); ok {
		return order == 0
	}
	return reflect.DeepEqual(a, b)
}

// jsonOrder orders two numbers or two strings; ok is false for anything
// else.
func jsonOrder(a, b any) (int, bool) {
	switch x := a.(type) {
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return 0, false
		}
		return compareNumbers(x, y)
	case string:
		y, ok := b.(string)
		if !ok {
			return 0, false
		}
		switch {
		case x < y:
			return -1, true
		case x > y:
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// compareNumbers compares integers exactly and anything else as float64.
func compareNumbers(x, y json.Number) (int, bool) {
	if i, err := strconv.ParseInt(string(x), 10, 64); err == nil {
		if j, err := strconv.ParseInt(string(y), 10, 64); err == nil {
			return compareInt(i, j), true
		}
	}
	f, err1 := x.Float64()
	g, err2 := y.Float64()
	if err1 != nil || err2 != nil {
		return 0, false
	}
	switch {
	case f < g:
		return -1, true
	case f > g:
		return 1, true
	}
	return 0, true
}
