package keystore

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/youmark/pkcs8"
)

// parsePEMKeyPair reads one private key and its certificate chain, in any
// order, from PEM blocks. The chain starts with the key's certificate.
func parsePEMKeyPair(data []byte, keyPassword string) (tls.Certificate, error) {
	var out tls.Certificate
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		switch block.Type {
		case "CERTIFICATE":
			out.Certificate = append(out.Certificate, block.Bytes)
		case "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY":
			if out.PrivateKey != nil {
				return tls.Certificate{}, errors.New("more than one private key")
			}
			key, err := parsePEMKey(block, keyPassword)
			if err != nil {
				return tls.Certificate{}, err
			}
			out.PrivateKey = key
		}
	}
	return completeKeyPair(out)
}

func parsePEMKey(block *pem.Block, keyPassword string) (crypto.PrivateKey, error) {
	switch block.Type {
	case "ENCRYPTED PRIVATE KEY":
		if keyPassword == "" {
			return nil, errors.New("the private key is encrypted: set ssl.key.password")
		}
		key, err := pkcs8.ParsePKCS8PrivateKey(block.Bytes, []byte(keyPassword))
		if err != nil {
			return nil, fmt.Errorf("decrypt private key (wrong ssl.key.password?): %w", err)
		}
		return key, nil
	case "RSA PRIVATE KEY":
		return x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		return x509.ParseECPrivateKey(block.Bytes)
	}
	return x509.ParsePKCS8PrivateKey(block.Bytes)
}

// completeKeyPair checks that there is a key and a certificate and that the
// first certificate is the key's, and fills Leaf.
func completeKeyPair(c tls.Certificate) (tls.Certificate, error) {
	if c.PrivateKey == nil {
		return tls.Certificate{}, errors.New("no private key")
	}
	if len(c.Certificate) == 0 {
		return tls.Certificate{}, errors.New("no certificate")
	}
	leaf, err := x509.ParseCertificate(c.Certificate[0])
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("certificate: %w", err)
	}
	if !publicKeyMatches(leaf.PublicKey, c.PrivateKey) {
		return tls.Certificate{}, errors.New("the first certificate is not the private key's")
	}
	c.Leaf = leaf
	return c, nil
}

func publicKeyMatches(pub crypto.PublicKey, key crypto.PrivateKey) bool {
	type publicKeyer interface{ Public() crypto.PublicKey }
	k, ok := key.(publicKeyer)
	if !ok {
		return false
	}
	switch p := pub.(type) {
	case *rsa.PublicKey:
		return p.Equal(k.Public())
	case *ecdsa.PublicKey:
		return p.Equal(k.Public())
	case ed25519.PublicKey:
		return p.Equal(k.Public())
	}
	return false
}

// parsePEMCertificates reads every CERTIFICATE block.
func parsePEMCertificates(data []byte) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("certificate %d: %w", len(out)+1, err)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, errors.New("no PEM certificate found")
	}
	return out, nil
}
