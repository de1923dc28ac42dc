package keystore

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"

	"software.sslmate.com/src/go-pkcs12"
)

// parsePKCS12KeyPair reads the key and chain of a PKCS#12 file. PKCS#12 as
// keytool writes it protects key and store with one password; a distinct
// ssl.key.password is tried when the store password fails.
func parsePKCS12KeyPair(data []byte, password, keyPassword string) (tls.Certificate, error) {
	key, leaf, cas, err := pkcs12.DecodeChain(data, password)
	if err != nil && keyPassword != password {
		key, leaf, cas, err = pkcs12.DecodeChain(data, keyPassword)
	}
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("decode PKCS12 (wrong password?): %w", err)
	}
	c := tls.Certificate{PrivateKey: key, Certificate: [][]byte{leaf.Raw}}
	for _, ca := range cas {
		c.Certificate = append(c.Certificate, ca.Raw)
	}
	return completeKeyPair(c)
}

// parsePKCS12Trust reads a PKCS#12 trust store: Java's trusted certificate
// entries, or, for stores made by openssl, any certificates it holds.
func parsePKCS12Trust(data []byte, password string) ([]*x509.Certificate, error) {
	certs, err := pkcs12.DecodeTrustStore(data, password)
	if err == nil && len(certs) > 0 {
		return certs, nil
	}
	_, leaf, cas, chainErr := pkcs12.DecodeChain(data, password)
	if chainErr != nil {
		return nil, fmt.Errorf("decode PKCS12 (wrong password?): %w", errors.Join(err, chainErr))
	}
	return append([]*x509.Certificate{leaf}, cas...), nil
}
