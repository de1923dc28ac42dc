package admin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/oauth"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"

	"github.com/kqhq/kq/store/jaas"
)

// Kafka's login modules, as sasl.jaas.config names them.
const (
	plainLoginModule  = jaas.PlainLoginModule
	scramLoginModule  = jaas.ScramLoginModule
	oauthLoginModule  = jaas.OAuthBearerLoginModule
	kerberosLoginName = "com.sun.security.auth.module.Krb5LoginModule"
)

// saslMechanisms are the sasl.mechanism values kq's client speaks.
var saslMechanisms = []string{"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER"}

// saslMechanism builds the mechanism sasl.mechanism names with the
// credentials of sasl.jaas.config (or librdkafka's sasl.username and
// sasl.password). No error message quotes a credential.
func saslMechanism(props map[string]string, now func() time.Time) (sasl.Mechanism, error) {
	mech := strings.ToUpper(strings.TrimSpace(props["sasl.mechanism"]))
	switch mech {
	case "", "GSSAPI":
		return nil, errors.New("client property sasl.mechanism: GSSAPI (Kerberos, Kafka's default when sasl.mechanism is not set) is not supported; set sasl.mechanism to " + strings.Join(saslMechanisms, ", "))
	case "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER":
	default:
		return nil, fmt.Errorf("client property sasl.mechanism: %q is not supported (want %s)", mech, strings.Join(saslMechanisms, ", "))
	}
	entry, err := jaasEntry(props)
	if err != nil {
		return nil, err
	}
	if mech == "OAUTHBEARER" {
		return oauthMechanism(entry, now)
	}
	return passwordMechanism(mech, entry)
}

// jaasEntry parses sasl.jaas.config, or makes the equivalent entry from
// librdkafka's sasl.username and sasl.password.
func jaasEntry(props map[string]string) (jaas.LoginModule, error) {
	raw, ok := props["sasl.jaas.config"]
	if !ok || strings.TrimSpace(raw) == "" {
		user, hasUser := props["sasl.username"]
		pass, hasPass := props["sasl.password"]
		if !hasUser && !hasPass {
			return jaas.LoginModule{}, errors.New("SASL needs credentials: set sasl.jaas.config (Kafka) or sasl.username and sasl.password (librdkafka)")
		}
		return jaas.LoginModule{Flag: "required", Options: map[string]string{"username": user, "password": pass}}, nil
	}
	entry, err := jaas.ParseConfig(raw)
	if err != nil {
		return jaas.LoginModule{}, fmt.Errorf("client property sasl.jaas.config: %w", err)
	}
	if entry.Class == kerberosLoginName {
		return jaas.LoginModule{}, errors.New("client property sasl.jaas.config: Krb5LoginModule (GSSAPI) is not supported")
	}
	return entry, nil
}

func passwordMechanism(mech string, entry jaas.LoginModule) (sasl.Mechanism, error) {
	switch entry.Class {
	case "", plainLoginModule, scramLoginModule:
	default:
		return nil, fmt.Errorf("client property sasl.jaas.config: sasl.mechanism=%s needs %s or %s, not %s", mech, plainLoginModule, scramLoginModule, entry.Class)
	}
	user, pass := entry.Options["username"], entry.Options["password"]
	if user == "" || pass == "" {
		return nil, fmt.Errorf("client property sasl.jaas.config: sasl.mechanism=%s needs username=\"...\" and password=\"...\"", mech)
	}
	if mech == "PLAIN" {
		return plain.Auth{User: user, Pass: pass}.AsMechanism(), nil
	}
	a := scram.Auth{User: user, Pass: pass, IsToken: strings.EqualFold(entry.Options["tokenauth"], "true")}
	if mech == "SCRAM-SHA-256" {
		return a.AsSha256Mechanism(), nil
	}
	return a.AsSha512Mechanism(), nil
}

// oauthMechanism sends Kafka's unsecured JWT, made afresh for every
// authentication so that iat and exp are current, as Kafka's default
// client callback handler does.
func oauthMechanism(entry jaas.LoginModule, now func() time.Time) (sasl.Mechanism, error) {
	if entry.Class != oauthLoginModule {
		return nil, fmt.Errorf("client property sasl.jaas.config: sasl.mechanism=OAUTHBEARER needs %s", oauthLoginModule)
	}
	// Build one token now so a mistake is reported before connecting.
	if _, err := newUnsecuredToken(entry.Options, now()); err != nil {
		return nil, fmt.Errorf("client property sasl.jaas.config: %w", err)
	}
	return oauth.Oauth(func(context.Context) (oauth.Auth, error) {
		tok, err := newUnsecuredToken(entry.Options, now())
		if err != nil {
			return oauth.Auth{}, err
		}
		return oauth.Auth{Token: tok.token, Extensions: tok.extensions}, nil
	}), nil
}
