package keystore

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"slices"

	jks "github.com/pavlo-v-chernykh/keystore-go/v4"
)

// loadJKS reads a JKS file; the store password checks its integrity.
func loadJKS(data []byte, password string) (jks.KeyStore, error) {
	ks := jks.New()
	if err := ks.Load(bytes.NewReader(data), []byte(password)); err != nil {
		return ks, fmt.Errorf("decode JKS (wrong password?): %w", err)
	}
	return ks, nil
}

// parseJKSKeyPair takes the first private key entry by alias.
func parseJKSKeyPair(data []byte, password, keyPassword string) (tls.Certificate, error) {
	ks, err := loadJKS(data, password)
	if err != nil {
		return tls.Certificate{}, err
	}
	aliases := ks.Aliases()
	slices.Sort(aliases)
	for _, alias := range aliases {
		if !ks.IsPrivateKeyEntry(alias) {
			continue
		}
		entry, err := ks.GetPrivateKeyEntry(alias, []byte(keyPassword))
		if err != nil {
			return tls.Certificate{}, fmt.Errorf("key entry %q (wrong ssl.key.password?): %w", alias, err)
		}
		key, err := x509.ParsePKCS8PrivateKey(entry.PrivateKey)
		if err != nil {
			return tls.Certificate{}, fmt.Errorf("key entry %q: %w", alias, err)
		}
		c := tls.Certificate{PrivateKey: key}
		for _, cert := range entry.CertificateChain {
			c.Certificate = append(c.Certificate, cert.Content)
		}
		return completeKeyPair(c)
	}
	return tls.Certificate{}, errors.New("no private key entry")
}

// parseJKSTrust reads every trusted certificate entry, and the chains of
// key entries (Java trusts those too when a key store is used as trust store).
func parseJKSTrust(data []byte, password string) ([]*x509.Certificate, error) {
	ks, err := loadJKS(data, password)
	if err != nil {
		return nil, err
	}
	aliases := ks.Aliases()
	slices.Sort(aliases)
	var out []*x509.Certificate
	for _, alias := range aliases {
		if !ks.IsTrustedCertificateEntry(alias) {
			continue
		}
		entry, err := ks.GetTrustedCertificateEntry(alias)
		if err != nil {
			return nil, fmt.Errorf("trusted entry %q: %w", alias, err)
		}
		c, err := x509.ParseCertificate(entry.Certificate.Content)
		if err != nil {
			return nil, fmt.Errorf("trusted entry %q: %w", alias, err)
		}
		out = append(out, c)
	}
	return out, nil
}
