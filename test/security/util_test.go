package security

import (
	"crypto/x509/pkix"
	"os"
)

func mkdir(dir string) error { return os.MkdirAll(dir, 0o700) }

func pkixName(cn string) pkix.Name { return pkix.Name{CommonName: cn} }
