package sasl

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kqhq/kq/daemon/kafkazk"
)

// ScramCredentials finds a user's stored SCRAM credential for a mechanism
// (Kafka's CredentialCache, fed from /config/users).
type ScramCredentials interface {
	ScramCredential(mechanism, user string) (kafkazk.ScramCredential, bool)
}

// scramServer is the server side of RFC 5802 as Kafka's ScramSaslServer
// runs it: client-first -> server-first, client-final -> server-final.
type scramServer struct {
	mech  kafkazk.ScramMechanism
	creds ScramCredentials
	state int // 0: want client-first, 1: want client-final, 2: ended

	first       clientFirst
	nonce       string // client nonce + server nonce
	serverFirst string
	cred        kafkazk.ScramCredential
}

// NewScramServer starts a SCRAM exchange for mech against creds.
func NewScramServer(mech kafkazk.ScramMechanism, creds ScramCredentials) Server {
	return &scramServer{mech: mech, creds: creds}
}

func (s *scramServer) Step(token []byte) ([]byte, bool, error) {
	state := s.state
	s.state = 2 // a failure ends the exchange; success moves it on below
	switch state {
	case 0:
		out, err := s.clientFirst(token)
		if err == nil {
			s.state = 1
		}
		return out, false, err
	case 1:
		out, err := s.clientFinal(token)
		s.cred = kafkazk.ScramCredential{} // done with the keys either way
		return out, err == nil, err
	}
	return nil, false, errState
}

func (s *scramServer) clientFirst(token []byte) ([]byte, error) {
	first, err := parseClientFirst(token)
	if err != nil {
		return nil, err
	}
	if first.extensions["tokenauth"] == "true" {
		return nil, errors.New("Token Authentication failed: delegation tokens are not supported")
	}
	cred, ok := s.creds.ScramCredential(s.mech.Name, first.user)
	if !ok {
		return nil, errors.New("Authentication failed: Invalid user credentials")
	}
	if first.authzid != "" && first.authzid != first.user {
		return nil, failf("Authentication failed: Client requested an authorization id that is different from username")
	}
	if cred.Iterations < kafkazk.ScramMinIterations {
		return nil, fmt.Errorf("Iterations %d is less than the minimum %d for %s", cred.Iterations, kafkazk.ScramMinIterations, s.mech.Name)
	}
	nonce, err := serverNonce()
	if err != nil {
		return nil, err
	}
	s.first, s.cred, s.nonce = first, cred, first.nonce+nonce
	s.serverFirst = fmt.Sprintf("r=%s,s=%s,i=%d", s.nonce, base64.StdEncoding.EncodeToString(cred.Salt), cred.Iterations)
	return []byte(s.serverFirst), nil
}

// clientFinal checks the proof: ClientSignature = HMAC(StoredKey,
// AuthMessage), ClientKey = proof XOR ClientSignature, and H(ClientKey)
// must equal StoredKey, compared in constant time.
func (s *scramServer) clientFinal(token []byte) ([]byte, error) {
	final, err := parseClientFinal(token)
	if err != nil {
		return nil, err
	}
	// Kafka 3.9 accepts any nonce ending with the combined one: librdkafka
	// (before 2.x fixes) sends its client nonce twice.
	if !strings.HasSuffix(final.nonce, s.nonce) {
		return nil, errors.New("Invalid client nonce in the final client message.")
	}
	authMessage := []byte(s.first.bare + "," + s.serverFirst + "," + final.withoutProof)
	signature := s.mech.HMAC(s.cred.StoredKey, authMessage)
	if len(final.proof) != len(signature) {
		return nil, errors.New("Invalid client credentials")
	}
	clientKey := make([]byte, len(signature))
	subtle.XORBytes(clientKey, final.proof, signature)
	h := s.mech.Hash()
	h.Write(clientKey)
	if subtle.ConstantTimeCompare(h.Sum(nil), s.cred.StoredKey) != 1 {
		return nil, errors.New("Invalid client credentials")
	}
	serverSignature := s.mech.HMAC(s.cred.ServerKey, authMessage)
	return []byte("v=" + base64.StdEncoding.EncodeToString(serverSignature)), nil
}

func (s *scramServer) Principal() string { return s.first.user }
func (s *scramServer) Expiry() time.Time { return time.Time{} }

// serverNonce is 24 random bytes in URL-safe base64: printable, no ','.
func serverNonce() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("SCRAM server nonce: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
