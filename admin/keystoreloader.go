package admin

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
)

// The functions below are the seam to the binary keystore formats (PKCS12,
// JKS) and encrypted PKCS#8 keys, which the broker's TLS side reads as well;
// they are meant to use one shared loader.

// loadTrustedCerts reads the certificates of a PKCS12 or JKS truststore.
func loadTrustedCerts(st storeFile, _ []byte) ([]*x509.Certificate, error) {
	return nil, fmt.Errorf("read %s %s: %s stores are not supported by this build; convert it to PEM (openssl pkcs12 -nokeys / keytool -exportcert -rfc) and set ssl.%s.type=PEM", st.kind, st.path, st.typ, st.kind)
}

// loadKeyPair reads the key and certificate chain of a PKCS12 or JKS
// keystore.
func loadKeyPair(st storeFile, _ []byte, _ string) (*tls.Certificate, error) {
	return nil, fmt.Errorf("read %s %s: %s stores are not supported by this build; convert it to PEM and set ssl.%s.type=PEM", st.kind, st.path, st.typ, st.kind)
}

// decryptPKCS8 decrypts an EncryptedPrivateKeyInfo.
func decryptPKCS8(_ []byte, _ string) ([]byte, error) {
	return nil, fmt.Errorf("encrypted PEM private keys are not supported by this build; decrypt it (openssl pkcs8 -nocrypt)")
}
