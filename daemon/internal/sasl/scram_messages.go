package sasl

import (
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
)

// The grammar of SCRAM messages as Kafka's ScramMessages accepts them
// (RFC 5802 section 7 with Kafka's limits: gs2 header "n" only, ASCII
// names). RE2 matches in linear time, so hostile input costs nothing.
const (
	scramSASLName  = `(?:[\x01-\x2B\x2D-\x3C\x3E-\x7F]|=2C|=3D)+`
	scramValue     = `[\x01-\x2B\x2D-\x7F]+`
	scramPrintable = `[\x21-\x2B\x2D-\x7E]+`
	scramBase64    = `(?:[a-zA-Z0-9/+]{4})*(?:[a-zA-Z0-9/+]{3}=|[a-zA-Z0-9/+]{2}==)?`
	scramExtension = `(?:,[A-Za-z]+=` + scramValue + `)*`
)

var (
	clientFirstRE = regexp.MustCompile(`^n,(?:a=(?P<authzid>` + scramSASLName + `))?,(?P<bare>(?:m=` + scramValue + `,)?` +
		`n=(?P<name>` + scramSASLName + `),r=(?P<nonce>` + scramPrintable + `)(?P<ext>` + scramExtension + `))$`)
	clientFinalRE = regexp.MustCompile(`^(?P<withoutproof>c=(?P<channel>` + scramBase64 + `),r=(?P<nonce>` + scramPrintable + `)` +
		scramExtension + `),p=(?P<proof>` + scramBase64 + `)$`)
)

// clientFirst is a parsed client-first-message.
type clientFirst struct {
	authzid, user, nonce string
	bare                 string // client-first-message-bare, for the AuthMessage
	extensions           map[string]string
}

// errScramFormat never quotes the message: a client may have put a
// password where a name belongs.
var errScramFormat = errors.New("Invalid SCRAM client first message format")

func parseClientFirst(msg []byte) (clientFirst, error) {
	m := clientFirstRE.FindSubmatch(msg)
	if m == nil {
		return clientFirst{}, errScramFormat
	}
	get := func(name string) string { return string(m[clientFirstRE.SubexpIndex(name)]) }
	user, err := scramUsername(get("name"))
	if err != nil {
		return clientFirst{}, err
	}
	authzid, err := scramUsername(get("authzid"))
	if err != nil {
		return clientFirst{}, err
	}
	return clientFirst{authzid: authzid, user: user, nonce: get("nonce"), bare: get("bare"),
		extensions: parseScramExtensions(get("ext"))}, nil
}

// scramUsername decodes a saslname: "=2C" is ',' and "=3D" is '='.
func scramUsername(saslName string) (string, error) {
	s := strings.ReplaceAll(saslName, "=2C", ",")
	if strings.Contains(strings.ReplaceAll(s, "=3D", ""), "=") {
		return "", errors.New("Invalid username in SCRAM client first message")
	}
	return strings.ReplaceAll(s, "=3D", "="), nil
}

// parseScramExtensions reads ",k=v,k2=v2" (validated by the pattern).
func parseScramExtensions(s string) map[string]string {
	out := map[string]string{}
	for _, kv := range strings.Split(s, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			out[k] = v
		}
	}
	return out
}

// clientFinal is a parsed client-final-message.
type clientFinal struct {
	nonce        string
	withoutProof string // client-final-message-without-proof, for the AuthMessage
	proof        []byte
}

func parseClientFinal(msg []byte) (clientFinal, error) {
	m := clientFinalRE.FindSubmatch(msg)
	if m == nil {
		return clientFinal{}, errors.New("Invalid SCRAM client final message format")
	}
	get := func(name string) string { return string(m[clientFinalRE.SubexpIndex(name)]) }
	proof, err := base64.StdEncoding.DecodeString(get("proof"))
	if err != nil {
		return clientFinal{}, errors.New("Invalid SCRAM client final message: proof is not base64")
	}
	return clientFinal{nonce: get("nonce"), withoutProof: get("withoutproof"), proof: proof}, nil
}
