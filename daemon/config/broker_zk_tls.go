package config

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/kqhq/kq/store/keystore"
)

// ZooKeeperTLS is Kafka's zookeeper.ssl.* client settings.
type ZooKeeperTLS struct {
	Enable           bool // zookeeper.ssl.client.enable
	KeyStore         keystore.KeyStore
	TrustStore       keystore.TrustStore
	EnabledProtocols []string
	CipherSuites     []string
	// EndpointIdentification is zookeeper.ssl.endpoint.identification.algorithm:
	// HTTPS (case-insensitive) checks the server's host name, "" does not.
	EndpointIdentification string
}

func zooKeeperTLSDefs() []Def {
	return []Def{
		{Name: "zookeeper.ssl.client.enable", Type: typeBool, Default: "false", Importance: Medium,
			Doc: "Connect to ZooKeeper over TLS (its secureClientPort)."},
		{Name: "zookeeper.clientCnxnSocket", Type: typeString, NullDefault: true, Importance: Medium,
			Doc:  "ZooKeeper client socket class; Kafka needs the Netty one for TLS.",
			Note: "Accepted for compatibility: kq's ZooKeeper client speaks TLS itself."},
		{Name: "zookeeper.ssl.keystore.location", Type: typeString, NullDefault: true, Importance: Medium,
			Doc: "Key store holding the client certificate for ZooKeeper."},
		{Name: "zookeeper.ssl.keystore.password", Type: typePassword, NullDefault: true, Importance: Medium,
			Doc: "Password of the ZooKeeper key store."},
		{Name: "zookeeper.ssl.keystore.type", Type: typeString, NullDefault: true, Importance: Medium,
			Doc: "Type of the ZooKeeper key store (JKS, PKCS12, PEM); unset: from the file extension, as ZooKeeper does."},
		{Name: "zookeeper.ssl.truststore.location", Type: typeString, NullDefault: true, Importance: Medium,
			Doc: "Trust store checking ZooKeeper's certificate."},
		{Name: "zookeeper.ssl.truststore.password", Type: typePassword, NullDefault: true, Importance: Medium,
			Doc: "Password of the ZooKeeper trust store."},
		{Name: "zookeeper.ssl.truststore.type", Type: typeString, NullDefault: true, Importance: Medium,
			Doc: "Type of the ZooKeeper trust store; unset: from the file extension."},
		{Name: "zookeeper.ssl.protocol", Type: typeString, Default: "TLSv1.2", Importance: Low,
			Doc:  "Protocol of the ZooKeeper SSL context.",
			Note: "Accepted for compatibility: zookeeper.ssl.enabled.protocols decides the versions."},
		{Name: "zookeeper.ssl.enabled.protocols", Type: typeList, NullDefault: true, valid: listOf{"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}, Importance: Low,
			Doc: "TLS versions offered to ZooKeeper; unset: TLSv1.2 and TLSv1.3."},
		{Name: "zookeeper.ssl.cipher.suites", Type: typeList, NullDefault: true, valid: cipherSuites{}, Importance: Low,
			Doc: "Cipher suites offered to ZooKeeper for TLS 1.2 and below."},
		{Name: "zookeeper.ssl.endpoint.identification.algorithm", Type: typeString, Default: "HTTPS", Importance: Low,
			Doc: "HTTPS checks ZooKeeper's host name against its certificate; empty skips the check."},
		{Name: "zookeeper.ssl.crl.enable", Type: typeBool, Default: "false", Importance: Low, Unsupported: true,
			Doc: "Check certificate revocation lists.", Note: "Accepted for compatibility: kq does not check revocation."},
		{Name: "zookeeper.ssl.ocsp.enable", Type: typeBool, Default: "false", Importance: Low, Unsupported: true,
			Doc: "Check certificates with OCSP.", Note: "Accepted for compatibility: kq does not check revocation."},
	}
}

func fillZooKeeperTLS(r *reader) ZooKeeperTLS {
	z := ZooKeeperTLS{
		Enable: r.bool("zookeeper.ssl.client.enable"),
		KeyStore: keystore.KeyStore{Location: r.str("zookeeper.ssl.keystore.location"),
			Password: r.str("zookeeper.ssl.keystore.password")},
		TrustStore: keystore.TrustStore{Location: r.str("zookeeper.ssl.truststore.location"),
			Password: r.str("zookeeper.ssl.truststore.password")},
		EndpointIdentification: r.str("zookeeper.ssl.endpoint.identification.algorithm"),
	}
	z.KeyStore.Type = zkStoreType(r.str("zookeeper.ssl.keystore.type"), z.KeyStore.Location)
	z.TrustStore.Type = zkStoreType(r.str("zookeeper.ssl.truststore.type"), z.TrustStore.Location)
	if v, ok := r.vals["zookeeper.ssl.enabled.protocols"].([]string); ok {
		z.EnabledProtocols = nonEmpty(v)
	}
	if v, ok := r.vals["zookeeper.ssl.cipher.suites"].([]string); ok {
		z.CipherSuites = nonEmpty(v)
	}
	return z
}

// zkStoreType is ZooKeeper's rule: the type given, else the file extension.
func zkStoreType(typ, location string) string {
	if typ != "" {
		return typ
	}
	switch strings.ToLower(filepath.Ext(location)) {
	case ".pem":
		return keystore.TypePEM
	case ".p12", ".pfx":
		return keystore.TypePKCS12
	}
	return keystore.TypeJKS
}

// Config builds the TLS client configuration for ZooKeeper; nil when
// zookeeper.ssl.client.enable is false.
func (z ZooKeeperTLS) Config() (*tls.Config, error) {
	if !z.Enable {
		return nil, nil
	}
	s := ListenerSSL{EnabledProtocols: z.EnabledProtocols}
	if len(s.EnabledProtocols) == 0 {
		s.EnabledProtocols = []string{"TLSv1.2", "TLSv1.3"}
	}
	c := &tls.Config{}
	c.MinVersion, c.MaxVersion = s.TLSVersions()
	for _, name := range z.CipherSuites {
		if id, ok := CipherSuiteID(name); ok && id != 0 {
			c.CipherSuites = append(c.CipherSuites, id)
		}
	}
	if z.KeyStore.Location != "" {
		cert, err := z.KeyStore.Load()
		if err != nil {
			return nil, fmt.Errorf("zookeeper.ssl.keystore: %w", err)
		}
		c.Certificates = []tls.Certificate{cert}
	}
	if z.TrustStore.Location != "" {
		pool, err := z.TrustStore.Pool()
		if err != nil {
			return nil, fmt.Errorf("zookeeper.ssl.truststore: %w", err)
		}
		c.RootCAs = pool
	}
	if z.EndpointIdentification == "" {
		c.InsecureSkipVerify = true // the chain is still checked, below
		c.VerifyConnection = verifyChainOnly(c.RootCAs)
	}
	return c, nil
}

// verifyChainOnly checks the server's chain without its host name, for
// endpoint identification turned off.
func verifyChainOnly(roots *x509.CertPool) func(tls.ConnectionState) error {
	return func(cs tls.ConnectionState) error {
		if len(cs.PeerCertificates) == 0 {
			return errors.New("zookeeper presented no certificate")
		}
		opts := x509.VerifyOptions{Roots: roots, Intermediates: x509.NewCertPool()}
		for _, c := range cs.PeerCertificates[1:] {
			opts.Intermediates.AddCert(c)
		}
		_, err := cs.PeerCertificates[0].Verify(opts)
		return err
	}
}
