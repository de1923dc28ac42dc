package sasl

import (
	"maps"
	"strings"
	"testing"
)

func TestParseJAASConfig(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    LoginModule
		wantErr string
	}{
		{"plain with users",
			`org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" user_admin="admin-secret" user_alice="alice-secret";`,
			LoginModule{Class: PlainLoginModule, Flag: "required", Options: map[string]string{
				"username": "admin", "password": "admin-secret", "user_admin": "admin-secret", "user_alice": "alice-secret"}}, ""},
		{"comments, newlines, single quotes and escapes",
			"// broker login\norg.apache.kafka.common.security.scram.ScramLoginModule /* flag */ REQUIRED\n username='a\\'b' password=\"p\\\"w\\\\\";",
			LoginModule{Class: ScramLoginModule, Flag: "required", Options: map[string]string{"username": "a'b", "password": `p"w\`}}, ""},
		{"unquoted word values",
			`x.Y optional unsecuredValidatorRequiredScope=read-write;`,
			LoginModule{Class: "x.Y", Flag: "optional", Options: map[string]string{"unsecuredValidatorRequiredScope": "read-write"}}, ""},
		{"no module", "  // nothing\n", LoginModule{}, "Login module not specified in JAAS config"},
		{"no semicolon", `a.B required k="v"`, LoginModule{}, "JAAS config entry not terminated by semi-colon"},
		{"bad flag", `a.B always k="v";`, LoginModule{}, "Invalid control flag"},
		{"key without value", `a.B required k=;`, LoginModule{}, "Value not specified for key 'k' in JAAS config"},
		{"key without equals", `a.B required k "v";`, LoginModule{}, "Value not specified for key 'k'"},
		{"two modules", `a.B required; c.D required;`, LoginModule{}, "contains 2 login modules, should be 1 module"},
		{"open comment", `a.B required; /* x`, LoginModule{}, "comment not terminated"},
		{"number value", `a.B required k=5;`, LoginModule{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseJAASConfig(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if tt.want.Class == "" {
				return // only that it parses or fails without panicking
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Class != tt.want.Class || got.Flag != tt.want.Flag || !maps.Equal(got.Options, tt.want.Options) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestJAASErrorsHideValues: a malformed config's error never echoes a
// value, since values are passwords.
func TestJAASErrorsHideValues(t *testing.T) {
	for _, in := range []string{
		`a.B required password="hunter2"`,
		`a.B required password="hunter2" x;`,
		`a.B hunter2 password="x";`,
	} {
		_, err := ParseJAASConfig(in)
		if err == nil {
			t.Fatalf("%q parsed", in)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Fatalf("error %q leaks a value", err)
		}
	}
}
