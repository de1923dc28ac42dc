package admin

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// The options of Kafka's OAuthBearerLoginModule that its default client
// callback handler (OAuthBearerUnsecuredLoginCallbackHandler) reads to make
// an unsecured JWT.
const (
	oauthStringClaim  = "unsecuredLoginStringClaim_"
	oauthNumberClaim  = "unsecuredLoginNumberClaim_"
	oauthListClaim    = "unsecuredLoginListClaim_"
	oauthExtension    = "unsecuredLoginExtension_"
	oauthPrincipalKey = "unsecuredLoginPrincipalClaimName"
	oauthLifetimeKey  = "unsecuredLoginLifetimeSeconds"
	oauthScopeKey     = "unsecuredLoginScopeClaimName"
)

// unsecuredToken is what OAuthBearerLoginModule's default handler sends:
// a JWS with header {"alg":"none"}, the configured claims plus iat and exp
// (seconds, iat with a fraction as Kafka writes it), and an empty
// signature; and the SASL extensions.
type unsecuredToken struct {
	token      string
	extensions map[string]string
}

// newUnsecuredToken builds the token from the login module's options at
// now. The principal claim (sub unless renamed) must be given: Kafka's
// broker rejects a token without it.
func newUnsecuredToken(options map[string]string, now time.Time) (unsecuredToken, error) {
	claims, err := unsecuredClaims(options)
	if err != nil {
		return unsecuredToken{}, err
	}
	principal := options[oauthPrincipalKey]
	if principal == "" {
		principal = "sub"
	}
	if _, ok := claims[principal].(string); !ok {
		return unsecuredToken{}, fmt.Errorf("OAuthBearerLoginModule: set %s%s to the principal's name", oauthStringClaim, principal)
	}
	lifetime := 3600.0
	if raw, ok := options[oauthLifetimeKey]; ok {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n <= 0 {
			return unsecuredToken{}, fmt.Errorf("OAuthBearerLoginModule: %s must be a positive number of seconds", oauthLifetimeKey)
		}
		lifetime = float64(n)
	}
	iat := float64(now.UnixMilli()) / 1000
	claims["iat"] = iat
	claims["exp"] = math.Floor(iat + lifetime)
	body, err := json.Marshal(claims)
	if err != nil {
		return unsecuredToken{}, fmt.Errorf("OAuthBearerLoginModule: encode claims: %w", err)
	}
	enc := base64.RawURLEncoding
	token := enc.EncodeToString([]byte(`{"alg":"none"}`)) + "." + enc.EncodeToString(body) + "."
	ext, err := unsecuredExtensions(options)
	if err != nil {
		return unsecuredToken{}, err
	}
	return unsecuredToken{token: token, extensions: ext}, nil
}

// unsecuredClaims reads the String, Number and List claim options. A list
// option's first character is its separator, as in Kafka
// (unsecuredLoginListClaim_scope=",read,write").
func unsecuredClaims(options map[string]string) (map[string]any, error) {
	claims := map[string]any{}
	for key, value := range options {
		switch {
		case strings.HasPrefix(key, oauthStringClaim):
			claims[strings.TrimPrefix(key, oauthStringClaim)] = value
		case strings.HasPrefix(key, oauthNumberClaim):
			n, err := strconv.ParseFloat(value, 64)
			if err != nil || math.IsInf(n, 0) || math.IsNaN(n) {
				return nil, fmt.Errorf("OAuthBearerLoginModule: %s is not a number", key)
			}
			claims[strings.TrimPrefix(key, oauthNumberClaim)] = n
		case strings.HasPrefix(key, oauthListClaim):
			claims[strings.TrimPrefix(key, oauthListClaim)] = splitListClaim(value)
		}
	}
	for _, reserved := range []string{"iat", "exp", ""} {
		if _, ok := claims[reserved]; ok {
			return nil, fmt.Errorf("OAuthBearerLoginModule: the claim %q cannot be set here (iat and exp come from %s)", reserved, oauthLifetimeKey)
		}
	}
	return claims, nil
}

func splitListClaim(value string) []string {
	if value == "" {
		return []string{}
	}
	sep := value[:1]
	out := []string{}
	for _, part := range strings.Split(value[1:], sep) {
		if part != "" {
			out = append(out, part)
		}
	}
	return out
}

// unsecuredExtensions are the SASL extensions, named as RFC 7628 and
// Kafka require: letters only, and not "auth".
func unsecuredExtensions(options map[string]string) (map[string]string, error) {
	var ext map[string]string
	for key, value := range options {
		name, ok := strings.CutPrefix(key, oauthExtension)
		if !ok {
			continue
		}
		if name == "" || name == "auth" || strings.IndexFunc(name, notASCIILetter) >= 0 {
			return nil, fmt.Errorf("OAuthBearerLoginModule: %s: an extension name must be letters only and not \"auth\"", key)
		}
		if ext == nil {
			ext = map[string]string{}
		}
		ext[name] = value
	}
	return ext, nil
}

func notASCIILetter(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') }
