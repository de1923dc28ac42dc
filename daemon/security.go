package daemon

import (
	"crypto/x509"
	"fmt"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/daemon/config"
	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/daemon/internal/sslprincipal"
	"github.com/kqhq/kq/daemon/internal/tlsconf"
)

// usesTLS reports the protocols whose connections start with a TLS handshake.
func usesTLS(p config.SecurityProtocol) bool {
	return p == config.SSL || p == config.SASLSSL
}

// serverListener describes a listener to the network layer, with its TLS
// configuration (reloaded when its files or its dynamic settings change)
// and its principal mapping.
func (d *Daemon) serverListener(l config.Listener) (server.Listener, error) {
	sl := server.Listener{Name: l.Name, Address: l.Address(), SecurityProtocol: l.SecurityProtocol.String()}
	if l.SecurityProtocol == config.SASLPlaintext || l.SecurityProtocol == config.SASLSSL {
		var err error
		if sl.SASL, err = d.saslListener(d.cfg, l.Name); err != nil {
			return sl, err
		}
		d.saslListeners[l.Name] = sl.SASL
	}
	if !usesTLS(l.SecurityProtocol) {
		return sl, nil
	}
	log := d.log.With("component", "tls", "listener", l.Name)
	r, err := tlsconf.NewServer(func() config.ListenerSSL { return d.configs.broker.Load().ListenerSSL(l.Name) }, log)
	if err != nil {
		return sl, fmt.Errorf("listener %s: %w", l.Name, err)
	}
	mapper, err := sslprincipal.Parse(d.cfg.ListenerSSL(l.Name).PrincipalMappingRules)
	if err != nil {
		return sl, fmt.Errorf("listener %s: ssl.principal.mapping.rules: %w", l.Name, err)
	}
	sl.TLS = r.ServerConfig()
	sl.SSLPrincipal = func(cert *x509.Certificate) (string, error) {
		dn, err := sslprincipal.SubjectDN(cert)
		if err != nil {
			return "", err
		}
		name, err := mapper.Name(dn)
		if err != nil {
			return "", err
		}
		return "User:" + name, nil
	}
	return sl, nil
}

// setUpInterBrokerTLS builds the client side of the inter-broker listener
// from that listener's ssl.* settings, as Kafka's inter-broker clients use
// them: its key store is this broker's client certificate, its trust store
// checks the other brokers.
func (d *Daemon) setUpInterBrokerTLS() error {
	if !usesTLS(d.cfg.InterBrokerSecurityProtocol) {
		return nil
	}
	name := d.cfg.InterBrokerListenerName
	r, err := tlsconf.NewClient(func() config.ListenerSSL { return d.configs.broker.Load().ListenerSSL(name) },
		d.log.With("component", "tls", "listener", name, "side", "client"))
	if err != nil {
		return fmt.Errorf("inter-broker listener %s: %w", name, err)
	}
	d.interBrokerTLS = r.ClientConfig()
	return nil
}

// interBrokerOpts are the franz-go options of every connection this broker
// makes to another: the inter-broker listener's security.
func (d *Daemon) interBrokerOpts() []kgo.Opt {
	opts := d.interBrokerSASL
	if d.interBrokerTLS != nil {
		opts = append([]kgo.Opt{kgo.DialTLSConfig(d.interBrokerTLS)}, opts...)
	}
	return opts
}
