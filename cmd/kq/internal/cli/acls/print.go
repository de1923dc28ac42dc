package acls

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/kqhq/kq/daemon/authz"
)

// aclRow is one ACL in JSON and YAML output.
type aclRow struct {
	ResourceType   string `json:"resourceType"`
	ResourceName   string `json:"resourceName"`
	PatternType    string `json:"patternType"`
	Principal      string `json:"principal"`
	Host           string `json:"host"`
	Operation      string `json:"operation"`
	PermissionType string `json:"permissionType"`
}

// writeBindings writes ACLs as --output asks: kafka-acls.sh's "Current
// ACLs for resource" blocks for people, rows for programs.
func writeBindings(w io.Writer, format output.Format, bs []authz.Binding) error {
	sortBindings(bs)
	switch format {
	case output.JSON, output.YAML:
		rows := make([]aclRow, 0, len(bs))
		for _, b := range bs {
			rows = append(rows, aclRow{b.Pattern.Type.String(), b.Pattern.Name, b.Pattern.PatternType.String(),
				b.Entry.Principal, b.Entry.Host, b.Entry.Operation.String(), b.Entry.Permission.String()})
		}
		if format == output.JSON {
			return output.WriteJSON(w, rows)
		}
		return output.WriteYAML(w, rows)
	}
	for _, g := range groupByPattern(bs) {
		if err := writeBlock(w, "Current ACLs for resource", g.pattern, g.entries); err != nil {
			return err
		}
	}
	return nil
}

// writeBlock is kafka-acls.sh's block: a header naming the resource, then
// one tab-indented entry per line.
func writeBlock(w io.Writer, header string, p authz.Pattern, entries []authz.Entry) error {
	lines := make([]string, len(entries))
	for i, e := range entries {
		lines[i] = "\t" + e.String()
	}
	_, err := fmt.Fprintf(w, "%s `%s`: \n %s \n\n", header, p, strings.Join(lines, "\n"))
	return err
}

type patternGroup struct {
	pattern authz.Pattern
	entries []authz.Entry
}

// groupByPattern groups sorted bindings by resource pattern.
func groupByPattern(bs []authz.Binding) []patternGroup {
	var out []patternGroup
	for _, b := range bs {
		if n := len(out); n > 0 && out[n-1].pattern == b.Pattern {
			out[n-1].entries = append(out[n-1].entries, b.Entry)
			continue
		}
		out = append(out, patternGroup{pattern: b.Pattern, entries: []authz.Entry{b.Entry}})
	}
	return out
}

func sortBindings(bs []authz.Binding) {
	slices.SortFunc(bs, func(a, b authz.Binding) int {
		return cmp.Or(
			cmp.Compare(a.Pattern.Type, b.Pattern.Type),
			cmp.Compare(a.Pattern.Name, b.Pattern.Name),
			cmp.Compare(a.Pattern.PatternType, b.Pattern.PatternType),
			cmp.Compare(a.Entry.Principal, b.Entry.Principal),
			cmp.Compare(a.Entry.Host, b.Entry.Host),
			cmp.Compare(a.Entry.Operation, b.Entry.Operation),
			cmp.Compare(a.Entry.Permission, b.Entry.Permission),
		)
	})
}

// filterString is Kafka's ResourcePatternFilter rendering.
func filterString(f authz.Filter) string {
	name := f.Name
	if name == "" {
		name = "<any>"
	}
	return fmt.Sprintf("ResourcePatternFilter(resourceType=%v, name=%s, patternType=%v)", f.Type, name, f.PatternType)
}
