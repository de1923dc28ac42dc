package daemon

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	ksasl "github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/oauth"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"

	"github.com/kqhq/kq/daemon/config"
	"github.com/kqhq/kq/daemon/internal/sasl"
	"github.com/kqhq/kq/daemon/kafkazk"
	"github.com/kqhq/kq/store/jaas"
)

// saslListener builds a SASL listener's authentication setup from its
// configuration: the enabled mechanisms and, per mechanism, its JAAS
// login module (PLAIN's users, OAUTHBEARER's validator options). A PLAIN
// listener without users is refused, as Kafka refuses to start without
// its JAAS section. Errors name keys, never values.
func (d *Daemon) saslListener(b *config.Broker, listener string) (*sasl.Listener, error) {
	ls := b.ListenerSASL(listener)
	if err := sasl.CheckMechanisms(ls.Mechanisms); err != nil {
		return nil, fmt.Errorf("listener %s: %w", listener, err)
	}
	out := &sasl.Listener{Mechanisms: ls.Mechanisms, Scram: d.credentials, MaxReauth: map[string]time.Duration{}}
	for _, m := range ls.Mechanisms {
		out.MaxReauth[m] = millis(ls.MaxReauthMs[m])
		mod, err := jaasFor(ls, listener, m)
		if err != nil {
			return nil, err
		}
		switch m {
		case sasl.Plain:
			if out.PlainUsers = sasl.PlainUsersFrom(mod); len(out.PlainUsers) == 0 {
				return nil, fmt.Errorf("listener %s: PLAIN needs users: set listener.name.%s.plain.sasl.jaas.config to a PlainLoginModule with user_<name>=\"<password>\" options",
					listener, lower(listener))
			}
		case sasl.OAuthBearer:
			if out.OAuth, err = sasl.OAuthOptionsFrom(mod); err != nil {
				return nil, fmt.Errorf("listener %s: OAUTHBEARER JAAS options: %w", listener, err)
			}
		}
	}
	return out, nil
}

// jaasFor parses a mechanism's JAAS text; a mechanism without one gets an
// empty module (SCRAM and OAUTHBEARER need no options on a broker).
func jaasFor(ls config.ListenerSASL, listener, mechanism string) (jaas.LoginModule, error) {
	text, ok := ls.JAAS[mechanism]
	if !ok {
		return jaas.LoginModule{Options: map[string]string{}}, nil
	}
	mod, err := jaas.ParseConfig(text)
	if err != nil {
		return mod, fmt.Errorf("listener %s, mechanism %s: sasl.jaas.config: %w", listener, mechanism, err)
	}
	return mod, nil
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// loadCredentials fills the SCRAM credential cache from every user's
// /config/users znode (at start-up, and on each new session, since
// notifications are not replayed).
func (d *Daemon) loadCredentials(ctx context.Context, zk *kafkazk.Client) error {
	users, err := zk.Users(ctx)
	if err != nil {
		return fmt.Errorf("load SCRAM credentials: %w", err)
	}
	for _, u := range users {
		if err := d.reloadUser(ctx, zk, u); err != nil {
			return err
		}
	}
	return nil
}

// reloadUser re-reads one user's credentials after a change notification.
func (d *Daemon) reloadUser(ctx context.Context, zk *kafkazk.Client, user string) error {
	cfg, err := zk.UserConfig(ctx, user)
	if err != nil {
		return fmt.Errorf("load SCRAM credentials of %s: %w", user, err)
	}
	if bad := d.credentials.SetUser(user, cfg); len(bad) > 0 {
		d.log.Warn("ignoring malformed SCRAM credentials", "user", user, "mechanisms", bad)
	}
	return nil
}

// interBrokerSASLOpts authenticate this broker to the others: on a SASL
// inter-broker listener, the mechanism of
// sasl.mechanism.inter.broker.protocol with the broker's own credentials,
// the username and password options of that mechanism's JAAS login module
// (for OAUTHBEARER, an unsecured token for unsecuredLoginStringClaim_sub).
func (d *Daemon) interBrokerSASLOpts() ([]kgo.Opt, error) {
	p := d.cfg.InterBrokerSecurityProtocol
	if p != config.SASLPlaintext && p != config.SASLSSL {
		return nil, nil
	}
	listener, mech := d.cfg.InterBrokerListenerName, d.cfg.SASLMechanismInterBrokerProtocol
	mod, err := jaasFor(d.cfg.ListenerSASL(listener), listener, mech)
	if err != nil {
		return nil, err
	}
	m, err := clientMechanism(mech, mod.Options)
	if err != nil {
		return nil, fmt.Errorf("inter-broker SASL on listener %s: %w", listener, err)
	}
	return []kgo.Opt{kgo.SASL(m)}, nil
}

func clientMechanism(mech string, opts map[string]string) (ksasl.Mechanism, error) {
	user, pass := opts["username"], opts["password"]
	needPassword := func() error {
		if user == "" || pass == "" {
			return fmt.Errorf("%s needs the broker's username and password options in its JAAS login module", mech)
		}
		return nil
	}
	switch mech {
	case sasl.Plain:
		return plain.Auth{User: user, Pass: pass}.AsMechanism(), needPassword()
	case sasl.ScramSHA256:
		return scram.Auth{User: user, Pass: pass}.AsSha256Mechanism(), needPassword()
	case sasl.ScramSHA512:
		return scram.Auth{User: user, Pass: pass}.AsSha512Mechanism(), needPassword()
	case sasl.OAuthBearer:
		return unsecuredToken(opts)
	}
	return nil, fmt.Errorf("mechanism %s is not supported", mech)
}

// unsecuredToken is Kafka's OAuthBearerUnsecuredLoginCallbackHandler: a
// fresh alg-none token per connection for unsecuredLoginStringClaim_sub,
// living unsecuredLoginLifetimeSeconds (default 3600).
func unsecuredToken(opts map[string]string) (ksasl.Mechanism, error) {
	sub := opts["unsecuredLoginStringClaim_sub"]
	if sub == "" {
		return nil, fmt.Errorf("OAUTHBEARER needs unsecuredLoginStringClaim_sub in its JAAS login module")
	}
	lifetime := int64(3600)
	if v, ok := opts["unsecuredLoginLifetimeSeconds"]; ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("unsecuredLoginLifetimeSeconds must be a positive integer")
		}
		lifetime = n
	}
	return oauth.Oauth(func(context.Context) (oauth.Auth, error) {
		now := time.Now().Unix()
		claims, err := json.Marshal(map[string]any{"sub": sub, "iat": now, "exp": now + lifetime})
		if err != nil {
			return oauth.Auth{}, fmt.Errorf("build token: %w", err)
		}
		enc := base64.RawURLEncoding.EncodeToString
		return oauth.Auth{Token: enc([]byte(`{"alg":"none"}`)) + "." + enc(claims) + "."}, nil
	}), nil
}

// updateSASLListeners applies a dynamic broker config to the SASL
// listeners: a listener's JAAS config (new PLAIN users or passwords, the
// OAUTHBEARER validator's options), mechanisms or session lifetime changed
// with AlterConfigs holds for the connections that authenticate next, as
// Kafka reconfigures its listeners. A config that does not build is
// reported and the listener keeps its settings.
func (d *Daemon) updateSASLListeners(b *config.Broker) {
	for name, l := range d.saslListeners {
		next, err := d.saslListener(b, name)
		if err != nil {
			d.log.Warn("dynamic SASL config not applied", "listener", name, "err", err)
			continue
		}
		l.Update(next)
	}
}
