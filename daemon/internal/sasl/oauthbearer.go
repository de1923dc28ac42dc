package sasl

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/kqhq/kq/store/jaas"
)

// OAuthOptions are the unsecuredValidator* options of a listener's
// OAuthBearerLoginModule, read by Kafka's default (unsecured-JWT)
// validator, OAuthBearerUnsecuredValidatorCallbackHandler.
type OAuthOptions struct {
	PrincipalClaim string        // unsecuredValidatorPrincipalClaimName, default "sub"
	ScopeClaim     string        // unsecuredValidatorScopeClaimName, default "scope"
	RequiredScope  []string      // unsecuredValidatorRequiredScope, space-separated
	ClockSkew      time.Duration // unsecuredValidatorAllowableClockSkewMs, default 0
}

// OAuthOptionsFrom reads the validator's options from a login module.
func OAuthOptionsFrom(m jaas.LoginModule) (OAuthOptions, error) {
	o := OAuthOptions{PrincipalClaim: "sub", ScopeClaim: "scope"}
	if v := strings.TrimSpace(m.Options["unsecuredValidatorPrincipalClaimName"]); v != "" {
		o.PrincipalClaim = v
	}
	if v := strings.TrimSpace(m.Options["unsecuredValidatorScopeClaimName"]); v != "" {
		o.ScopeClaim = v
	}
	o.RequiredScope = strings.Fields(m.Options["unsecuredValidatorRequiredScope"])
	if v, ok := m.Options["unsecuredValidatorAllowableClockSkewMs"]; ok {
		ms, err := strconv.ParseInt(strings.TrimSpace(v), 10, 32)
		if err != nil || ms < 0 {
			return o, fmt.Errorf("Allowable clock skew must be a non-negative integer: %q", v)
		}
		o.ClockSkew = time.Duration(ms) * time.Millisecond
	}
	return o, nil
}

// oauthServer is SASL/OAUTHBEARER (RFC 7628) as Kafka's
// OAuthBearerSaslServer runs it: a rejected token is answered with a JSON
// error as a challenge, and the client's %x01 reply then fails the exchange
// with that JSON as the message.
type oauthServer struct {
	opts   OAuthOptions
	now    func() time.Time
	errMsg string
	user   string
	expiry time.Time
	ended  bool
}

// NewOAuthServer starts an OAUTHBEARER exchange; now is the clock tokens
// are checked against (nil: time.Now).
func NewOAuthServer(opts OAuthOptions, now func() time.Time) Server {
	if now == nil {
		now = time.Now
	}
	return &oauthServer{opts: opts, now: now}
}

var (
	oauthInitialRE = regexp.MustCompile(`^n,(?:a=(?P<authzid>` + scramSASLName + `))?,\x01(?P<kv>(?:[A-Za-z]+=[\x21-\x7E \t\r\n]+\x01)*)\x01$`)
	oauthAuthRE    = regexp.MustCompile(`^(?P<scheme>\w+) +(?P<token>[-_~+/.a-zA-Z0-9]+=*)$`)
)

func (s *oauthServer) Step(token []byte) ([]byte, bool, error) {
	if s.ended {
		return nil, false, errState
	}
	if len(token) == 1 && token[0] == 0x01 && s.errMsg != "" {
		s.ended = true
		return nil, false, &Failure{Msg: s.errMsg}
	}
	s.errMsg = ""
	authzid, bearer, err := parseOAuthInitial(token)
	if err != nil {
		s.ended = true
		return nil, false, err
	}
	claims, status := s.validate(bearer)
	if status != nil {
		s.errMsg = status.json()
		return []byte(s.errMsg), false, nil
	}
	if authzid != "" && authzid != claims.principal {
		s.ended = true
		return nil, false, failf("Authentication failed: Client requested an authorization id (%s) that is different from the token's principal name (%s)",
			authzid, claims.principal)
	}
	s.ended, s.user, s.expiry = true, claims.principal, claims.expiry
	return nil, true, nil
}

func (s *oauthServer) Principal() string { return s.user }
func (s *oauthServer) Expiry() time.Time { return s.expiry }

// parseOAuthInitial reads "n,[a=authzid],^Aauth=Bearer <token>^A[k=v^A]...^A".
// Extensions other than auth are accepted and ignored, as Kafka's
// unsecured validator accepts every extension.
func parseOAuthInitial(msg []byte) (authzid, token string, err error) {
	m := oauthInitialRE.FindSubmatch(msg)
	if m == nil {
		return "", "", errors.New("Invalid OAUTHBEARER client first message")
	}
	if authzid, err = scramUsername(string(m[oauthInitialRE.SubexpIndex("authzid")])); err != nil {
		return "", "", err
	}
	var auth string
	found := false
	for _, kv := range bytes.Split(m[oauthInitialRE.SubexpIndex("kv")], []byte{0x01}) {
		if k, v, ok := bytes.Cut(kv, []byte("=")); ok && string(k) == "auth" {
			auth, found = string(v), true
		}
	}
	if !found {
		return "", "", errors.New("Invalid OAUTHBEARER client first message: 'auth' not specified")
	}
	am := oauthAuthRE.FindStringSubmatch(auth)
	if am == nil {
		return "", "", errors.New("Invalid OAUTHBEARER client first message: invalid 'auth' format")
	}
	if !strings.EqualFold(am[1], "bearer") {
		return "", "", errors.New("Invalid scheme in OAUTHBEARER client first message")
	}
	return authzid, am[2], nil
}

// oauthStatus is a token rejection: RFC 7628's error JSON.
type oauthStatus struct {
	status, scope string
}

func (e *oauthStatus) json() string {
	if e.scope != "" {
		return fmt.Sprintf(`{"status":"%s", "scope":"%s"}`, e.status, e.scope)
	}
	return fmt.Sprintf(`{"status":"%s"}`, e.status)
}

var invalidToken = &oauthStatus{status: "invalid_token"}

// tokenClaims is what a valid token says.
type tokenClaims struct {
	principal string
	expiry    time.Time
}

// validate applies the unsecured validator's checks in Kafka's order: an
// unsecured JWS (alg "none", no signature) with exp and a string principal
// claim; iat, if present, not in the future; not expired; exp after iat;
// every required scope present.
func (s *oauthServer) validate(token string) (tokenClaims, *oauthStatus) {
	claims, ok := decodeUnsecuredJWS(token)
	if !ok {
		return tokenClaims{}, invalidToken
	}
	exp, ok := numberClaim(claims, "exp")
	principal, isString := claims[s.opts.PrincipalClaim].(string)
	if !ok || !isString || strings.TrimSpace(principal) == "" {
		return tokenClaims{}, invalidToken
	}
	nowMs := float64(s.now().UnixMilli())
	skewMs := float64(s.opts.ClockSkew.Milliseconds())
	iat, hasIat := numberClaim(claims, "iat")
	_, iatPresent := claims["iat"]
	switch {
	case iatPresent && !hasIat, hasIat && 1000*iat > nowMs+skewMs:
		return tokenClaims{}, invalidToken
	case nowMs-skewMs >= 1000*exp:
		return tokenClaims{}, invalidToken
	case hasIat && exp <= iat:
		return tokenClaims{}, invalidToken
	}
	scope := scopeOf(claims[s.opts.ScopeClaim])
	for _, want := range s.opts.RequiredScope {
		if !scope[want] {
			return tokenClaims{}, &oauthStatus{status: "insufficient_scope", scope: "[" + strings.Join(s.opts.RequiredScope, ", ") + "]"}
		}
	}
	return tokenClaims{principal: principal, expiry: time.UnixMilli(int64(math.Min(1000*exp, math.MaxInt64/2)))}, nil
}

// decodeUnsecuredJWS reads header.claims. (empty signature) and returns the
// claims when the header's alg is "none".
func decodeUnsecuredJWS(token string) (map[string]any, bool) {
	if strings.Contains(token, "..") {
		return nil, false
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 || parts[2] != "" {
		return nil, false
	}
	header, ok := decodeJSONPart(parts[0])
	if !ok || header["alg"] != "none" {
		return nil, false
	}
	return decodeJSONPart(parts[1])
}

// decodeJSONPart decodes one base64url (or standard, padded or not) part.
func decodeJSONPart(part string) (map[string]any, bool) {
	part = strings.TrimRight(part, "=")
	part = strings.NewReplacer("+", "-", "/", "_").Replace(part)
	raw, err := base64.RawURLEncoding.DecodeString(part)
	if err != nil {
		return nil, false
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil || out == nil {
		return nil, false
	}
	return out, true
}

func numberClaim(claims map[string]any, name string) (float64, bool) {
	v, ok := claims[name].(float64)
	return v, ok && !math.IsNaN(v) && !math.IsInf(v, 0)
}

// scopeOf reads a scope claim as Kafka does: a string is one scope
// (trimmed), a list is its non-blank elements.
func scopeOf(v any) map[string]bool {
	out := map[string]bool{}
	switch t := v.(type) {
	case string:
		if s := strings.TrimSpace(t); s != "" {
			out[s] = true
		}
	case []any:
		for _, e := range t {
			if s, ok := e.(string); ok && strings.TrimSpace(s) != "" {
				out[strings.TrimSpace(s)] = true
			}
		}
	}
	return out
}
