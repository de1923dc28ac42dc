package sslprincipal

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"testing"
)

func TestFormatDN(t *testing.T) {
	oidEmail := asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}
	tests := []struct {
		name string
		rdns pkix.RDNSequence
		want string
	}{
		{"order reversed, keywords", pkix.Name{CommonName: "alice", OrganizationalUnit: []string{"eng"}, Organization: []string{"Example"}, Country: []string{"US"}}.ToRDNSequence(),
			"CN=alice,OU=eng,O=Example,C=US"},
		{"specials escaped", pkix.Name{CommonName: `a,b+c=d"e\f<g>;#h`}.ToRDNSequence(), `CN=a\,b\+c\=d\"e\\f\<g\>\;\#h`},
		{"leading and trailing space", pkix.Name{CommonName: " x "}.ToRDNSequence(), `CN=\ x\ `},
		{"type without keyword is hex DER", pkix.RDNSequence{{{Type: oidEmail, Value: "a@b"}}, {{Type: asn1.ObjectIdentifier{2, 5, 4, 3}, Value: "n"}}},
			"CN=n,1.2.840.113549.1.9.1=#0c03614062"},
		{"multi-valued RDN", pkix.RDNSequence{{{Type: asn1.ObjectIdentifier{2, 5, 4, 3}, Value: "x"}, {Type: asn1.ObjectIdentifier{2, 5, 4, 11}, Value: "y"}}},
			"CN=x+OU=y"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			der, err := asn1.Marshal(tt.rdns)
			if err != nil {
				t.Fatal(err)
			}
			got, err := FormatDN(der)
			if err != nil || got != tt.want {
				t.Fatalf("FormatDN = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	if _, err := FormatDN([]byte{0x30, 0x05, 0x01}); err == nil {
		t.Fatal("FormatDN accepted truncated DER")
	}
}

// FuzzFormatDN feeds arbitrary DER, as a client certificate's subject can
// hold anything its issuer signed.
func FuzzFormatDN(f *testing.F) {
	for _, n := range []pkix.Name{{CommonName: "alice", Organization: []string{"Example"}}, {CommonName: `a,b+c`}} {
		der, err := asn1.Marshal(n.ToRDNSequence())
		if err != nil {
			f.Fatal(err)
		}
		f.Add(der)
	}
	f.Fuzz(func(t *testing.T, der []byte) {
		dn, err := FormatDN(der)
		if err == nil && len(der) > 2 && dn == "" && !isEmptySequence(der) {
			t.Fatalf("FormatDN(% x) = empty name without error", der)
		}
	})
}

func isEmptySequence(der []byte) bool {
	var rdns []attributeSET
	_, err := asn1.Unmarshal(der, &rdns)
	if err != nil {
		return false
	}
	for _, r := range rdns {
		if len(r) > 0 {
			return false
		}
	}
	return true
}
