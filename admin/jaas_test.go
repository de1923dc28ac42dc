package admin

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseJAAS(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want JAASEntry
	}{
		{"plain", `org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="alice-secret";`,
			JAASEntry{plainLoginModule, "required", map[string]string{"username": "alice", "password": "alice-secret"}}},
		{"escapes and spacing", "  " + scramLoginModule + "  REQUIRED\n\tusername = \"b\\\"ob\"\n password=\"a\\\\b;c\" tokenauth=true ;  ",
			JAASEntry{scramLoginModule, "required", map[string]string{"username": `b"ob`, "password": `a\b;c`, "tokenauth": "true"}}},
		{"comments", `/* admin */ ` + plainLoginModule + ` optional // the user
			username="u" password="p";`,
			JAASEntry{plainLoginModule, "optional", map[string]string{"username": "u", "password": "p"}}},
		{"oauth", oauthLoginModule + ` required unsecuredLoginStringClaim_sub="alice" unsecuredLoginListClaim_scope=",read,write";`,
			JAASEntry{oauthLoginModule, "required", map[string]string{"unsecuredLoginStringClaim_sub": "alice", "unsecuredLoginListClaim_scope": ",read,write"}}},
		{"no options", plainLoginModule + " sufficient;", JAASEntry{plainLoginModule, "sufficient", map[string]string{}}},
		{"later duplicate wins", plainLoginModule + ` required username="a" username="b";`,
			JAASEntry{plainLoginModule, "required", map[string]string{"username": "b"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseJAAS(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseJAASErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", "a login module class name expected"},
		{"no flag", plainLoginModule + ";", "a control flag"},
		{"bad flag", plainLoginModule + " mandatory;", "control flag must be"},
		{"no semicolon", plainLoginModule + ` required username="u"`, "the closing ';'"},
		{"unterminated quote", plainLoginModule + ` required password="secret;`, "not closed"},
		{"no equals", plainLoginModule + ` required username "u";`, "'=' expected"},
		{"no value", plainLoginModule + ` required username=;`, "an option value expected"},
		{"two modules", plainLoginModule + ` required; ` + plainLoginModule + ` required;`, "a second one"},
		{"unterminated comment", plainLoginModule + ` required /* x`, "unterminated"},
		{"symbol", plainLoginModule + ` required user@name="u";`, "'=' expected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseJAAS(tt.in)
			if !errors.Is(err, ErrJAASSyntax) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err %v, want ErrJAASSyntax with %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Fatalf("the error quotes the input: %v", err)
			}
		})
	}
}

// FuzzParseJAAS: any input parses or fails with ErrJAASSyntax, without
// panicking and without quoting the input (which holds passwords) in the
// error; a parsed entry has a known flag.
func FuzzParseJAAS(f *testing.F) {
	for _, seed := range []string{
		plainLoginModule + ` required username="alice" password="alice-secret";`,
		scramLoginModule + " required username=\"a\\\"b\" password=\"x\\\\\";",
		oauthLoginModule + ` required unsecuredLoginStringClaim_sub="a" unsecuredLoginNumberClaim_n="1";`,
		"/* c */ x required // d\n;", `"`, `x required a="`, "x required a=b c=d;;", "",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		e, err := ParseJAAS(in)
		if err != nil {
			if !errors.Is(err, ErrJAASSyntax) {
				t.Fatalf("error without ErrJAASSyntax: %v", err)
			}
			msg := strings.TrimPrefix(err.Error(), ErrJAASSyntax.Error())
			if len(in) >= 12 && strings.Contains(msg, in) {
				t.Fatalf("the error quotes the input: %v", err)
			}
			return
		}
		switch e.Flag {
		case "required", "requisite", "sufficient", "optional":
		default:
			t.Fatalf("flag %q", e.Flag)
		}
		if e.LoginModule == "" || e.Options == nil {
			t.Fatalf("entry %+v", e)
		}
	})
}
