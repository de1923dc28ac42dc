package sslprincipal

import (
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
)

// attribute is one type=value pair of a distinguished name, with the value
// kept raw: types without an RFC 2253 keyword are written as their DER in
// hex, which needs the bytes as encoded.
type attribute struct {
	Type  asn1.ObjectIdentifier
	Value asn1.RawValue
}

// attributeSET is one relative distinguished name; encoding/asn1 reads a
// slice type whose name ends in SET as an ASN.1 SET OF.
type attributeSET []attribute

// rfc2253Keywords are the only attribute keywords RFC 2253 (and so Java's
// X500Principal.getName()) writes by name; every other type is written as
// its dotted OID.
var rfc2253Keywords = map[string]string{
	"2.5.4.3":                    "CN",
	"2.5.4.6":                    "C",
	"2.5.4.7":                    "L",
	"2.5.4.8":                    "ST",
	"2.5.4.10":                   "O",
	"2.5.4.11":                   "OU",
	"2.5.4.9":                    "STREET",
	"0.9.2342.19200300.100.1.25": "DC",
	"0.9.2342.19200300.100.1.1":  "UID",
}

// SubjectDN renders a certificate's subject as Java's
// X500Principal.getName() does (RFC 2253): the last RDN first, multi-valued
// RDNs joined with "+", special characters escaped with a backslash.
func SubjectDN(cert *x509.Certificate) (string, error) {
	return FormatDN(cert.RawSubject)
}

// FormatDN renders a DER-encoded distinguished name in RFC 2253 form.
func FormatDN(der []byte) (string, error) {
	var rdns []attributeSET
	rest, err := asn1.Unmarshal(der, &rdns)
	if err != nil {
		return "", fmt.Errorf("distinguished name: %w", err)
	}
	if len(rest) > 0 {
		return "", errors.New("distinguished name: trailing data")
	}
	var b strings.Builder
	for i := len(rdns) - 1; i >= 0; i-- {
		if i < len(rdns)-1 {
			b.WriteByte(',')
		}
		for j, a := range rdns[i] {
			if j > 0 {
				b.WriteByte('+')
			}
			writeAttribute(&b, a)
		}
	}
	return b.String(), nil
}

func writeAttribute(b *strings.Builder, a attribute) {
	keyword, known := rfc2253Keywords[a.Type.String()]
	if !known {
		b.WriteString(a.Type.String())
		b.WriteString("=#")
		b.WriteString(hex.EncodeToString(a.Value.FullBytes))
		return
	}
	b.WriteString(keyword)
	b.WriteByte('=')
	s, ok := stringValue(a.Value)
	if !ok {
		b.WriteByte('#')
		b.WriteString(hex.EncodeToString(a.Value.FullBytes))
		return
	}
	writeEscaped(b, s)
}

// stringValue decodes the ASN.1 string types a name attribute uses.
func stringValue(v asn1.RawValue) (string, bool) {
	if v.Class != asn1.ClassUniversal {
		return "", false
	}
	switch v.Tag {
	case asn1.TagPrintableString, asn1.TagUTF8String, asn1.TagIA5String, asn1.TagT61String, asn1.TagNumericString:
		return string(v.Bytes), true
	case asn1.TagBMPString:
		if len(v.Bytes)%2 != 0 {
			return "", false
		}
		u := make([]uint16, len(v.Bytes)/2)
		for i := range u {
			u[i] = uint16(v.Bytes[2*i])<<8 | uint16(v.Bytes[2*i+1])
		}
		return string(utf16.Decode(u)), true
	}
	return "", false
}

// rfc2253Special are escaped wherever they appear, as Java's AVA does.
const rfc2253Special = ",=+<>#;\"\\"

// writeEscaped escapes RFC 2253 specials, a leading or trailing space and
// NUL (as \00).
func writeEscaped(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == 0:
			b.WriteString(`\00`)
			continue
		case strings.IndexByte(rfc2253Special, c) >= 0,
			c == ' ' && (i == 0 || i == len(s)-1):
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
}
