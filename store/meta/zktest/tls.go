package zktest

import (
	"errors"
	"fmt"
	"strconv"
	"testing"
)

// TLSFiles name the PEM files of a TLS-serving ZooKeeper: KeyStore holds the
// server's key and certificate, TrustStore the CA its clients' certificates
// must chain to.
type TLSFiles struct {
	KeyStore, TrustStore string
	// ClientAuth is ZooKeeper's ssl.clientAuth: "need" (its default),
	// "want" or "none".
	ClientAuth string
}

// StartTLS runs a server for t alone that also serves TLS on a secure client
// port (SecureAddr), with Netty as ZooKeeper requires for it.
func StartTLS(t testing.TB, files TLSFiles) *Server {
	t.Helper()
	s, err := startWith(t.TempDir(), &files)
	if errors.Is(err, errNotInstalled) {
		skipOrFail(t, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(s.logTail())
		}
		s.Stop()
	})
	return s
}

// SecureAddr is the TLS client port's host:port; "" without StartTLS.
func (s *Server) SecureAddr() string {
	if s.tls == nil {
		return ""
	}
	return "127.0.0.1:" + strconv.Itoa(s.securePort)
}

// tlsConfig is the zoo.cfg part that opens the secure client port.
func (s *Server) tlsConfig() string {
	if s.tls == nil {
		return ""
	}
	auth := s.tls.ClientAuth
	if auth == "" {
		auth = "need"
	}
	return fmt.Sprintf(`secureClientPort=%d
secureClientPortAddress=127.0.0.1
serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory
ssl.keyStore.location=%s
ssl.keyStore.type=PEM
ssl.trustStore.location=%s
ssl.trustStore.type=PEM
ssl.clientAuth=%s
ssl.hostnameVerification=false
`, s.securePort, s.tls.KeyStore, s.tls.TrustStore, auth)
}

// nettyClasspath adds the Netty jars ZooKeeper's TLS port needs and
// Debian's zookeeper.jar manifest leaves out (it lists only what the plain
// NIO server uses; Debian's netty-all.jar is an empty aggregate).
func nettyClasspath() string {
	var cp string
	for _, m := range []string{"common", "buffer", "codec", "handler", "resolver", "transport", "transport-native-unix-common"} {
		if jar := "/usr/share/java/netty-" + m + ".jar"; isFile(jar) {
			cp += ":" + jar
		}
	}
	return cp
}
