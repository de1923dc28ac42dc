package admin

import (
	"bytes"
	"strings"
)

// pemText turns PEM as Kafka's ssl.truststore.certificates,
// ssl.keystore.key and ssl.keystore.certificate.chain values carry it into
// standard PEM. A properties file's line continuations join the lines of a
// block with spaces ("-----BEGIN CERTIFICATE----- MIIC... -----END
// CERTIFICATE-----"), which Kafka accepts and Go's PEM decoder does not; the
// body's blanks are dropped and it is wrapped again.
func pemText(s string) []byte {
	var out bytes.Buffer
	rest := s
	for {
		begin := strings.Index(rest, "-----BEGIN ")
		if begin < 0 {
			break
		}
		afterBegin := rest[begin+len("-----BEGIN "):]
		labelEnd := strings.Index(afterBegin, "-----")
		if labelEnd < 0 {
			break
		}
		label := afterBegin[:labelEnd]
		body := afterBegin[labelEnd+len("-----"):]
		endMarker := "-----END " + label + "-----"
		end := strings.Index(body, endMarker)
		if end < 0 {
			break
		}
		writePEMBlock(&out, label, strings.Join(strings.Fields(body[:end]), ""))
		rest = body[end+len(endMarker):]
	}
	return out.Bytes()
}

func writePEMBlock(out *bytes.Buffer, label, body string) {
	out.WriteString("-----BEGIN " + label + "-----\n")
	for len(body) > 64 {
		out.WriteString(body[:64] + "\n")
		body = body[64:]
	}
	if body != "" {
		out.WriteString(body + "\n")
	}
	out.WriteString("-----END " + label + "-----\n")
}
