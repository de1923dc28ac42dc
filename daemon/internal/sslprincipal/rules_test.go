package sslprincipal

import (
	"strings"
	"testing"
)

func TestMapperName(t *testing.T) {
	tests := []struct {
		rules, dn, want string
		wantErr         bool
	}{
		{"DEFAULT", "CN=alice,OU=eng,O=Example,C=US", "CN=alice,OU=eng,O=Example,C=US", false},
		{"", "CN=alice", "", true}, // no rules: nothing matches
		// Kafka's documented examples.
		{`RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/,DEFAULT`, "CN=serviceuser,OU=ServiceUsers,O=Unknown,L=Unknown,ST=Unknown,C=Unknown", "serviceuser", false},
		{`RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/,DEFAULT`, "CN=adminUser,OU=Admin,O=Unknown,L=Unknown,ST=Unknown,C=Unknown", "CN=adminUser,OU=Admin,O=Unknown,L=Unknown,ST=Unknown,C=Unknown", false},
		{`RULE:^CN=(.*?),OU=(.*?),O=(.*?),L=(.*?),ST=(.*?),C=(.*?)$/$1@$2/L,RULE:^.*[Cc][Nn]=([a-zA-Z0-9.]*).*$/$1/L,DEFAULT`, "CN=duke,OU=ServiceUsers,O=Org,L=City,ST=State,C=US", "duke@serviceusers", false},
		{`RULE:^.*[Cc][Nn]=([a-zA-Z0-9.]*).*$/$1/U, DEFAULT`, "OU=x,CN=Duke.B,O=y", "DUKE.B", false},
		// A pattern must match the whole name.
		{`RULE:CN=alice/x/`, "CN=alice,O=Example", "", true},
		// A reference to a group that does not exist is literal; $12 with one group is group 1 then "2".
		{`RULE:^CN=(.*)$/$1-$5/`, "CN=bob", "bob-$5", false},
		{`RULE:^CN=(.*)$/$12/`, "CN=bob", "bob2", false},
		// Escaped slash in pattern and replacement.
		{`RULE:^CN=(.*)\/(.*)$/$2\/$1/`, "CN=a/b", "b/a", false},
		// Spaces around separators, empty entries.
		{`  RULE:^CN=(.*)$/$1/ , , DEFAULT `, "CN=carol", "carol", false},
	}
	for _, tt := range tests {
		t.Run(tt.rules+"|"+tt.dn, func(t *testing.T) {
			m, err := Parse(tt.rules)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.rules, err)
			}
			got, err := m.Name(tt.dn)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Name(%q) = %q, want no matching rule", tt.dn, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Name(%q) = %q, %v; want %q", tt.dn, got, err, tt.want)
			}
		})
	}
}

func TestParseRefusesInvalidRules(t *testing.T) {
	tests := []struct{ rules, wantErr string }{
		{"garbage", "invalid rule"},
		{"DEFAULTX", "invalid rule"},
		{"RULE:abc", "invalid rule"},
		{"RULE:a/b", "invalid rule"},
		{"RULE:a/b/Lxyz", "unmatched substring: `xyz`"},
		{"RULE:a/b/ RULE:c/d/", "unmatched substring"},
		{"RULE:(?=a)/b/", "pattern"}, // look-ahead: Java only
		{"RULE:(/b/", "pattern"},
		{`RULE:a\`, "invalid rule"},
	}
	for _, tt := range tests {
		t.Run(tt.rules, func(t *testing.T) {
			_, err := Parse(tt.rules)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Parse(%q) error = %v, want one containing %q", tt.rules, err, tt.wantErr)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"DEFAULT", `RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/,DEFAULT`, `RULE:^(.*)$/$1\/$0/U`, "RULE:a/b/Lx,", " , ,", `RULE:\/\\/x/`} {
		f.Add(s, "CN=alice,OU=ServiceUsers,O=Example")
	}
	f.Fuzz(func(t *testing.T, rules, dn string) {
		m, err := Parse(rules)
		if err != nil {
			return
		}
		name, err := m.Name(dn)
		if err == nil && len(m.rules) == 0 {
			t.Fatalf("Name(%q) = %q with no rules", dn, name)
		}
		// Parsing what String prints gives the same rules back.
		again, err := Parse(strings.Trim(m.String(), "[]"))
		if err == nil && len(again.rules) < len(m.rules) {
			t.Fatalf("re-parsing %s lost rules: %s", m, again)
		}
	})
}
