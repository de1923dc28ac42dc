package jaas

import (
	"errors"
	"maps"
	"strings"
	"testing"
)

func TestParseConfig(t *testing.T) {
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
		{"escapes and spacing", "  " + ScramLoginModule + "  REQUIRED\n\tusername = \"b\\\"ob\"\n password=\"a\\\\b;c\" tokenauth=true ;  ",
			LoginModule{Class: ScramLoginModule, Flag: "required", Options: map[string]string{"username": `b"ob`, "password": `a\b;c`, "tokenauth": "true"}}, ""},
		{"comment after the flag", `/* admin */ ` + PlainLoginModule + ` optional // the user
			username="u" password="p";`,
			LoginModule{Class: PlainLoginModule, Flag: "optional", Options: map[string]string{"username": "u", "password": "p"}}, ""},
		{"oauth", OAuthBearerLoginModule + ` required unsecuredLoginStringClaim_sub="alice" unsecuredLoginListClaim_scope=",read,write";`,
			LoginModule{Class: OAuthBearerLoginModule, Flag: "required", Options: map[string]string{"unsecuredLoginStringClaim_sub": "alice", "unsecuredLoginListClaim_scope": ",read,write"}}, ""},
		{"no options", PlainLoginModule + " sufficient;", LoginModule{Class: PlainLoginModule, Flag: "sufficient", Options: map[string]string{}}, ""},
		{"later duplicate wins", PlainLoginModule + ` required username="a" username="b";`,
			LoginModule{Class: PlainLoginModule, Flag: "required", Options: map[string]string{"username": "b"}}, ""},
		{"unquoted word values",
			`x.Y optional unsecuredValidatorRequiredScope=read-write;`,
			LoginModule{Class: "x.Y", Flag: "optional", Options: map[string]string{"unsecuredValidatorRequiredScope": "read-write"}}, ""},
		{"empty", "", LoginModule{}, "Login module not specified in JAAS config"},
		{"no module", "  // nothing\n", LoginModule{}, "Login module not specified in JAAS config"},
		{"no flag", PlainLoginModule + ";", LoginModule{}, "Invalid control flag"},
		{"no semicolon", `a.B required k="v"`, LoginModule{}, "JAAS config entry not terminated by semi-colon"},
		{"bad flag", `a.B always k="v";`, LoginModule{}, "Invalid control flag"},
		{"key without value", `a.B required k=;`, LoginModule{}, "Value not specified for key 'k' in JAAS config"},
		{"key without equals", `a.B required k "v";`, LoginModule{}, "Value not specified for key 'k'"},
		{"symbol in a key", PlainLoginModule + ` required user@name="u";`, LoginModule{}, "Value not specified for key 'user'"},
		{"two modules", `a.B required; c.D required;`, LoginModule{}, "contains 2 login modules, should be 1 module"},
		{"open comment", `a.B required; /* x`, LoginModule{}, "comment not terminated"},
		{"number value", `a.B required k=5;`, LoginModule{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseConfig(tt.in)
			if tt.wantErr != "" {
				if !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want ErrSyntax with %q", err, tt.wantErr)
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

// TestErrorsHideValues: a malformed config's error never echoes a value,
// since values are passwords.
func TestErrorsHideValues(t *testing.T) {
	for _, in := range []string{
		`a.B required password="hunter2"`,
		`a.B required password="hunter2" x;`,
		`a.B hunter2 password="x";`,
		PlainLoginModule + ` required password="hunter2;`,
	} {
		_, err := ParseConfig(in)
		if err == nil {
			t.Fatalf("%q parsed", in)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Fatalf("error %q leaks a value", err)
		}
	}
}

// FuzzParse: any text parses to modules with a known flag or fails with
// ErrSyntax, never panics, and never quotes the input (which holds
// passwords) in the error.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		PlainLoginModule + ` required username="a" password="b" user_a="b";`,
		"a.B required k='v\\'' /* c */ x=y; // z\n c.D optional;",
		`a.B required k="\777\n`, `/*`, `;`, `a.B required k=`, `"`, "x required a=b c=d;;", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		mods, err := Parse(s)
		if err != nil {
			if !errors.Is(err, ErrSyntax) {
				t.Fatalf("error without ErrSyntax: %v", err)
			}
			if len(s) >= 12 && strings.Contains(strings.TrimPrefix(err.Error(), ErrSyntax.Error()), s) {
				t.Fatalf("the error quotes the input: %v", err)
			}
			return
		}
		if len(mods) == 0 {
			t.Fatal("no error and no modules")
		}
		for _, m := range mods {
			switch m.Flag {
			case "required", "requisite", "sufficient", "optional":
			default:
				t.Fatalf("flag %q", m.Flag)
			}
			if m.Class == "" || m.Options == nil {
				t.Fatalf("module %+v", m)
			}
		}
	})
}
